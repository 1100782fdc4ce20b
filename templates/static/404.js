/* The language-neutral "page not found" page (/404.html), served by hosts at
   any missing URL. Move the reader's language to the top: the /xx/ prefix of
   the missing URL decides, else the language chosen earlier on the root page,
   else the browser's languages. With no match (or no script) every language
   stays listed in site order. */
(function () {
  "use strict";
  var root = document.documentElement;
  var base = root.getAttribute("data-base") || "/";
  var choices = Array.prototype.slice.call(document.querySelectorAll("[data-lang]"));
  var offered = choices.map(function (choice) { return choice.getAttribute("data-lang"); });

  function find(tag) {
    tag = String(tag || "").toLowerCase();
    for (var i = 0; i < offered.length; i++) {
      if (offered[i].toLowerCase() === tag) return offered[i];
    }
    return null;
  }

  function fromPath() {
    var path = location.pathname;
    if (path.indexOf(base) !== 0) return null;
    var first = path.slice(base.length).split("/")[0];
    try { first = decodeURIComponent(first); } catch (e) { return null; }
    return find(first);
  }

  function remembered() {
    try { return find(localStorage.getItem("eventsite:language")); } catch (e) { return null; }  // set by choose-language.js
  }

  function fromBrowser() {
    var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
    for (var i = 0; i < wanted.length; i++) {
      var exact = find(wanted[i]);
      if (exact) return exact;
      var base = String(wanted[i]).toLowerCase().split("-")[0];
      if (base === "tl") base = "fil";  // Tagalog speakers get Filipino
      for (var j = 0; j < offered.length; j++) {
        if (offered[j].toLowerCase().split("-")[0] === base) return offered[j];
      }
    }
    return null;
  }

  var lang = fromPath() || remembered() || fromBrowser();
  if (!lang) return;
  var choice = choices[offered.indexOf(lang)];
  choice.parentNode.insertBefore(choice, choice.parentNode.firstChild);
  choice.classList.add("guessed");
  root.setAttribute("lang", lang);
  root.setAttribute("dir", choice.getAttribute("dir") || "ltr");
  document.title = choice.getAttribute("data-title") || document.title;
})();
