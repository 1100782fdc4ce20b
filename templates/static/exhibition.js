/* The exhibition page, progressively enhanced. Without this script every
   exhibit is listed, grouped by section; with it: filters by section and by
   country, without reloading the page, a count of what is shown (in a
   role="status" region), and the choice kept in the address
   (?section=…&country=…) so that it can be shared and survives "back".
   Strings come from data-* attributes written by the template (translated
   with gettext), never from this file. */
(function () {
  "use strict";
  var app = document.getElementById("exhibition");
  var form = document.getElementById("exhibition-filters");
  if (!app || !form) return;
  var data = app.dataset;
  var cards = Array.prototype.slice.call(app.querySelectorAll("article.exhibit-card"));
  var sections = Array.prototype.slice.call(app.querySelectorAll("section.exhibition-section"));
  var status = document.getElementById("exhibition-status");
  var empty = document.getElementById("exhibition-empty");
  var tabs = Array.prototype.slice.call(document.querySelectorAll(".section-tabs a[href^='#']"));
  var names = ["section", "country"];

  function field(name) {
    return form.elements[name];
  }
  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (option) { return option.value === value; });
  }

  function apply() {
    var section = field("section").value, country = field("country").value;
    var shown = 0;
    cards.forEach(function (card) {
      var visible = (!section || card.dataset.section === section) && (!country || card.dataset.country === country);
      card.hidden = !visible;
      if (visible) shown += 1;
    });
    sections.forEach(function (element) {
      element.hidden = !element.querySelector("article.exhibit-card:not([hidden])");
    });
    tabs.forEach(function (tab) {
      var target = document.getElementById(tab.getAttribute("href").slice(1));
      if (target && tab.parentNode) tab.parentNode.hidden = target.hidden;
    });
    if (status) {
      status.textContent = data.shownTemplate.replace("%(count)s", String(shown)).replace("%(total)s", String(cards.length));
    }
    if (empty) empty.hidden = shown !== 0;
  }

  /* The filters in the address bar, without a new history entry per change. */
  function remember() {
    if (!window.history || !history.replaceState) return;
    var params = new URLSearchParams(location.search);
    names.forEach(function (name) {
      if (field(name).value) params.set(name, field(name).value); else params.delete(name);
    });
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }
  function restore() {
    var params = new URLSearchParams(location.search);
    names.forEach(function (name) {
      var value = params.get(name) || "";
      field(name).value = hasOption(field(name), value) ? value : "";
    });
  }

  form.hidden = false;
  form.addEventListener("change", function () { apply(); remember(); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(); remember(); }, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); remember(); });
  restore();
  apply();
})();
