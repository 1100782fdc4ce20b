/* The programme page, progressively enhanced. Without this script every
   session is listed; with it: filters, now/next, the visitor's local time,
   and a personal agenda kept in localStorage and exportable to .ics.
   Strings come from data-* attributes written by the template (translated
   with gettext), never from this file. */
(function () {
  "use strict";
  var app = document.getElementById("programme");
  if (!app) return;
  var data = app.dataset;
  var sessions = Array.prototype.slice.call(app.querySelectorAll("article.session[data-guid]"));
  var storageKey = "eventsite:agenda:" + (data.site || location.pathname.split("/").slice(0, -3).join("/"));

  function readStars() {
    try { return JSON.parse(localStorage.getItem(storageKey) || "[]"); } catch (e) { return []; }
  }
  function writeStars(stars) {
    try { localStorage.setItem(storageKey, JSON.stringify(stars)); } catch (e) { /* private mode: stars last for the visit */ }
  }
  var stars = readStars();

  /* --- filters ------------------------------------------------------------ */
  var form = document.getElementById("programme-filters");
  var status = document.getElementById("programme-status");
  var onlyMine = false;

  function selected(name) {
    var field = form.elements[name];
    return field ? field.value : "";
  }
  function applyFilters() {
    var kind = selected("kind"), track = selected("track"), room = selected("room"), country = selected("country");
    var shown = 0;
    sessions.forEach(function (session) {
      var countries = (session.dataset.countries || "").split(" ");
      var visible = (!kind || session.dataset.kind === kind) &&
        (!track || session.dataset.track === track) &&
        (!room || session.dataset.room === room) &&
        (!country || countries.indexOf(country) >= 0) &&
        (!onlyMine || stars.indexOf(session.dataset.guid) >= 0);
      session.hidden = !visible;
      if (visible) shown += 1;
    });
    app.querySelectorAll("section.day").forEach(function (day) {
      day.hidden = !day.querySelector("article.session:not([hidden])");
    });
    status.textContent = data.shownTemplate.replace("%(count)s", String(shown)).replace("%(total)s", String(sessions.length));
    var empty = document.getElementById("programme-empty");
    if (empty) empty.hidden = shown !== 0;
  }
  if (form) {
    form.hidden = false;
    form.addEventListener("change", applyFilters);
    form.addEventListener("reset", function () { setTimeout(applyFilters, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); applyFilters(); });
  }

  /* --- personal agenda ------------------------------------------------------ */
  function setStar(button, guid) {
    var on = stars.indexOf(guid) >= 0;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.querySelector(".star-icon").textContent = on ? "★" : "☆";
  }
  sessions.forEach(function (session) {
    var guid = session.dataset.guid;
    var title = session.querySelector(".session-title");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "star";
    var icon = document.createElement("span");
    icon.className = "star-icon";
    icon.setAttribute("aria-hidden", "true");
    var label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = data.starLabel + ": " + (title ? title.textContent.trim() : "");
    button.appendChild(icon);
    button.appendChild(label);
    setStar(button, guid);
    button.addEventListener("click", function () {
      var index = stars.indexOf(guid);
      if (index >= 0) stars.splice(index, 1); else stars.push(guid);
      writeStars(stars);
      setStar(button, guid);
      updateAgendaControls();
      if (onlyMine) applyFilters();
    });
    session.querySelector(".session-time").appendChild(button);
  });

  var mine = document.getElementById("programme-mine");
  var exportLink = document.getElementById("programme-export");
  function updateAgendaControls() {
    if (mine) mine.setAttribute("aria-pressed", onlyMine ? "true" : "false");
    if (exportLink) exportLink.hidden = stars.length === 0;
  }
  if (mine) {
    mine.hidden = false;
    mine.addEventListener("click", function () { onlyMine = !onlyMine; updateAgendaControls(); applyFilters(); });
  }

  /* The starred sessions as an iCalendar file, built here from the page. */
  function icsDate(iso) {
    return new Date(iso).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  }
  function icsText(value) {
    return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  }
  function buildIcs() {
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//eventsite//my agenda//" + document.documentElement.lang, "CALSCALE:GREGORIAN"];
    sessions.forEach(function (session) {
      if (stars.indexOf(session.dataset.guid) < 0) return;
      var link = session.querySelector(".session-title a");
      var room = session.querySelector(".room");
      lines.push("BEGIN:VEVENT", "UID:" + session.dataset.guid + "@" + (data.host || location.host),
        "DTSTAMP:" + icsDate(session.dataset.start), "DTSTART:" + icsDate(session.dataset.start), "DTEND:" + icsDate(session.dataset.end),
        "SUMMARY:" + icsText(link ? link.textContent.trim() : ""));
      if (room) lines.push("LOCATION:" + icsText(room.textContent.trim()));
      if (link) lines.push("URL:" + link.href);
      lines.push("END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    return lines.join("\r\n") + "\r\n";
  }
  if (exportLink) {
    exportLink.addEventListener("click", function () {
      var blob = new Blob([buildIcs()], { type: "text/calendar;charset=utf-8" });
      exportLink.href = URL.createObjectURL(blob);
    });
  }
  updateAgendaControls();

  /* --- now / next and the visitor's local time -------------------------------- */
  function now() {
    var forced = new URLSearchParams(location.search).get("now");
    return forced ? new Date(forced) : new Date();
  }
  function markNow() {
    var instant = now().getTime();
    var next = null;
    sessions.forEach(function (session) {
      var start = Date.parse(session.dataset.start), end = Date.parse(session.dataset.end);
      var live = start <= instant && instant < end;
      session.classList.toggle("is-now", live);
      session.classList.remove("is-next");
      var badge = session.querySelector(".badge-now");
      if (live && !badge) {
        badge = document.createElement("span");
        badge.className = "badge badge-now";
        badge.textContent = data.nowLabel;
        session.querySelector(".session-meta").prepend(badge);
      } else if (!live && badge) {
        badge.remove();
      }
      if (start > instant && (!next || start < Date.parse(next.dataset.start))) next = session;
    });
    app.querySelectorAll(".badge-next").forEach(function (badge) { badge.remove(); });
    var first = Date.parse(sessions.length ? sessions[0].dataset.start : 0);
    if (next && instant >= first - 24 * 3600 * 1000) {
      next.classList.add("is-next");
      var badge = document.createElement("span");
      badge.className = "badge badge-next";
      badge.textContent = data.nextLabel;
      next.querySelector(".session-meta").prepend(badge);
    }
  }
  /* A CLDR date pattern ('E HH:mm', 'a h:mm', 'HH:mm น.') applied to the visitor's local time, with
     the page language's names shipped in data-clock: the same words as the rest of the page, also
     where the browser has no data for the language. */
  var clock = JSON.parse(data.clock || "{}");
  function two(number) { return (number < 10 ? "0" : "") + number; }
  function applyPattern(pattern, date) {
    var out = "";
    var tokens = pattern.match(/'[^']*'|(.)\1*/g) || [];
    tokens.forEach(function (token) {
      var hours = date.getHours();
      switch (token[0]) {
        case "'": out += token.length > 2 ? token.slice(1, -1) : "'"; break;
        case "E": case "c": out += clock.days[(date.getDay() + 6) % 7]; break;
        case "H": out += token.length > 1 ? two(hours) : hours; break;
        case "h": var twelve = hours % 12 || 12; out += token.length > 1 ? two(twelve) : twelve; break;
        case "m": out += two(date.getMinutes()); break;
        case "a": case "b": case "B": out += hours < 12 ? clock.am : clock.pm; break;
        default: out += token;
      }
    });
    return out;
  }
  function gmtOffset(date) {
    var minutes = -date.getTimezoneOffset();
    var sign = minutes < 0 ? "-" : "+";
    minutes = Math.abs(minutes);
    return clock.gmt.replace("{0}", sign + two(Math.floor(minutes / 60)) + ":" + two(minutes % 60));
  }
  function localTimes() {
    var eventOffset = function (iso) { var m = /([+-])(\d\d):(\d\d)$/.exec(iso); return m ? (m[1] === "-" ? 1 : -1) * (Number(m[2]) * 60 + Number(m[3])) : 0; };
    if (!clock.time) return;
    sessions.forEach(function (session) {
      var start = new Date(session.dataset.start), end = new Date(session.dataset.end);
      if (start.getTimezoneOffset() === eventOffset(session.dataset.start)) return;
      var range = clock.range.replace("{0}", applyPattern(clock.weekdayTime, start)).replace("{1}", applyPattern(clock.time, end));
      var span = document.createElement("span");
      span.className = "local-time";
      span.textContent = data.localLabel + ": " + range + " (" + gmtOffset(start) + ")";
      session.querySelector(".session-time").appendChild(span);
    });
  }
  markNow();
  localTimes();
  setInterval(markNow, 60 * 1000);
  applyFilters();
})();
