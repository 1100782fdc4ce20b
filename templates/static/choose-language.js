/* The root page: go to the visitor's language. Every language is also a
   plain link, so without script (or with no match) the visitor chooses.
   An explicit choice is remembered and wins over the browser's preference. */
(function () {
  "use strict";
  var key = "eventsite:language";
  var links = Array.prototype.slice.call(document.querySelectorAll("a[hreflang]"));
  var offered = links.map(function (link) { return link.getAttribute("hreflang"); });

  links.forEach(function (link) {
    link.addEventListener("click", function () {
      try { localStorage.setItem(key, link.getAttribute("hreflang")); } catch (e) { /* storage off: just follow the link */ }
    });
  });

  function pick() {
    var remembered = null;
    try { remembered = localStorage.getItem(key); } catch (e) { remembered = null; }
    if (remembered && offered.indexOf(remembered) >= 0) return remembered;
    var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
    for (var i = 0; i < wanted.length; i++) {
      var tag = String(wanted[i]).toLowerCase();
      for (var j = 0; j < offered.length; j++) {
        if (offered[j].toLowerCase() === tag) return offered[j];
      }
      var base = tag.split("-")[0];
      // Tagalog speakers get Filipino; Malay speakers from Brunei and Singapore get Malay.
      if (base === "tl") base = "fil";
      for (var k = 0; k < offered.length; k++) {
        if (offered[k].toLowerCase().split("-")[0] === base) return offered[k];
      }
    }
    return null;
  }

  if (new URLSearchParams(location.search).has("choose")) return;  // a link back here to choose again
  var choice = pick();
  if (choice) {
    var target = links[offered.indexOf(choice)];
    location.replace(target.href);
  }
})();
