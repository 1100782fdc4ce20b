/* The search page, progressively enhanced. Without this script the page lists
   every page in its language. With it: a query box and filters (type of page,
   country) over Pagefind's index of this language only (/pagefind/, built by
   eventsite/search.py), results replacing the list while a search is active,
   and the search kept in the address (?q=…&kind=…&country=…), so the header's
   search box (a plain GET form on every page) lands here with its query run.
   Pagefind's low-level JS API only: its ready-made UI would need inline
   styles, which the Content-Security-Policy forbids. Strings come from data-*
   attributes written by the template (translated with gettext). */
(function () {
  "use strict";
  var app = document.getElementById("search");
  var form = document.getElementById("search-form");
  if (!app || !form || !window.URL || !window.fetch) return;
  var data = app.dataset;
  var input = form.elements.q;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var all = document.getElementById("search-all");
  var lang = document.documentElement.lang;
  var bundle = new URL(data.bundle, document.baseURI);
  var root = new URL(data.root, document.baseURI).pathname; /* the site under a sub-path: /busan2019/ */
  var prefix = root + lang + "/";
  var names = ["q", "kind", "country"];
  var LIMIT = 50;
  var pagefind = null;
  var latest = 0;

  function say(text) {
    status.textContent = text;
  }
  function field(name) {
    return form.elements[name];
  }
  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (option) { return option.value === value; });
  }
  function label(select, value) {
    var found = Array.prototype.filter.call(select.options, function (option) { return option.value === value; })[0];
    return found ? found.textContent : "";
  }

  /* Pagefind's excerpt is HTML-escaped text with <mark> around the matches: keep exactly that. */
  function excerptNodes(html, into) {
    var template = document.createElement("template");
    template.innerHTML = html;
    Array.prototype.forEach.call(template.content.childNodes, function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        into.appendChild(document.createTextNode(node.textContent));
      } else if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        into.appendChild(mark);
      } else {
        into.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
  }

  function resultItem(result) {
    var item = document.createElement("li");
    item.className = "search-result";
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = result.url;
    link.textContent = (result.meta && result.meta.title) || result.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var kind = result.filters && result.filters.kind && result.filters.kind[0];
    var countries = (result.filters && result.filters.country) || [];
    if (kind || countries.length) {
      var meta = document.createElement("p");
      meta.className = "search-meta";
      if (kind) {
        var tag = document.createElement("span");
        tag.className = "tag kind";
        tag.textContent = label(field("kind"), kind);
        meta.appendChild(tag);
      }
      if (countries.length) meta.appendChild(document.createTextNode(" " + countries.join(", ")));
      item.appendChild(meta);
    }
    if (result.excerpt) {
      var excerpt = document.createElement("p");
      excerpt.className = "search-excerpt";
      excerptNodes(result.excerpt, excerpt);
      item.appendChild(excerpt);
    }
    return item;
  }

  function filters() {
    var chosen = {};
    if (field("kind").value) chosen.kind = field("kind").value;
    if (field("country").value) chosen.country = field("country").value;
    return chosen;
  }

  function showAll() {
    list.hidden = true;
    list.textContent = "";
    all.hidden = false;
    say("");
  }

  function run() {
    if (!pagefind) return;
    var query = input.value.trim();
    var chosen = filters();
    var ticket = ++latest;
    if (!query && !Object.keys(chosen).length) { showAll(); return; }
    var total = 0;
    pagefind.search(query || null, { filters: chosen }).then(function (search) {
      if (ticket !== latest || !search) return null;
      total = search.results.length;
      return Promise.all(search.results.slice(0, LIMIT).map(function (result) { return result.data(); }));
    }).then(function (results) {
      if (ticket !== latest || !results) return;
      /* Only this language's pages (the index is this language's: checked before loading it). */
      results = results.filter(function (result) { return result.url.indexOf(prefix) === 0; });
      list.textContent = "";
      results.forEach(function (result) { list.appendChild(resultItem(result)); });
      list.hidden = results.length === 0;
      all.hidden = true;
      say(results.length ? data.foundTemplate.replace("%(count)s", String(total)) : data.none);
    }).catch(function () {
      if (ticket === latest) { showAll(); say(data.unavailable); }
    });
  }

  var timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () { run(); remember(); }, 200);
  }

  /* The search in the address bar, without a new history entry per keystroke. */
  function remember() {
    if (!window.history || !history.replaceState) return;
    var params = new URLSearchParams(location.search);
    names.forEach(function (name) {
      var value = name === "q" ? input.value.trim() : field(name).value;
      if (value) params.set(name, value); else params.delete(name);
    });
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }
  function restore() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    ["kind", "country"].forEach(function (name) {
      var value = params.get(name) || "";
      field(name).value = hasOption(field(name), value) ? value : "";
    });
  }

  /* Types of page this language's index has no page of are not offered. */
  function pruneKinds(found) {
    var counts = (found && found.kind) || {};
    Array.prototype.slice.call(field("kind").options).forEach(function (option) {
      if (option.value && !counts[option.value]) option.remove();
    });
  }

  function fillCountries(found) {
    var select = field("country");
    var collator = window.Intl && Intl.Collator ? new Intl.Collator(lang) : null;
    var countries = Object.keys((found && found.country) || {});
    countries.sort(collator ? collator.compare : undefined);
    countries.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      select.appendChild(option);
    });
    select.closest("label").hidden = countries.length === 0;
  }

  /* Is there an index for this language? (Pagefind would quietly use another one.) */
  fetch(new URL("pagefind-entry.json", bundle).href, { cache: "no-cache" }).then(function (response) {
    if (!response.ok) throw new Error("no search index");
    return response.json();
  }).then(function (entry) {
    if (!entry.languages || !entry.languages[lang]) { say(data.untranslated); return null; }
    return import(new URL("pagefind.js", bundle).href).then(function (module) {
      pagefind = module;
      return pagefind.options({ baseUrl: root }).then(function () { return pagefind.filters(); });
    }).then(function (found) {
      pruneKinds(found);
      fillCountries(found);
      restore();
      form.hidden = false;
      form.addEventListener("input", function (event) {
        if (event.target === input) { later(); } else { clearTimeout(timer); run(); remember(); }
      });
      form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); remember(); });
      run();
    });
  }).catch(function () {
    pagefind = null;
    say(data.unavailable);
  });
})();
