// Clinic locator: search, nearest first, and "open now" in each clinic's own time zone.
// Progressive enhancement: the page lists every clinic without this script.
(function () {
  "use strict";
  var source = document.getElementById("locator-data");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

  function minutes(time) {
    var parts = time.split(":");
    return Number(parts[0]) * 60 + Number(parts[1]);
  }

  function clock(time) { // "07:00" → "7 am", "13:30" → "1:30 pm", "12:00" → "noon"
    var total = minutes(time), hour = Math.floor(total / 60), minute = total % 60;
    if (total === 720) return "noon";
    if (total === 0 || total === 1440) return "midnight";
    var suffix = hour < 12 ? "am" : "pm";
    hour = hour % 12 || 12;
    return hour + (minute ? ":" + String(minute).padStart(2, "0") : "") + " " + suffix;
  }

  // The date, weekday (0 = Monday) and minute of the day where the clinic is.
  function localNow(zone, now) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(now).forEach(function (part) { parts[part.type] = part.value; });
    return {
      date: parts.year + "-" + parts.month + "-" + parts.day,
      day: DAYS.indexOf(parts.weekday),
      minute: Number(parts.hour) % 24 * 60 + Number(parts.minute)
    };
  }

  function addDays(date, count) {
    var moment = new Date(date + "T12:00:00Z");
    moment.setUTCDate(moment.getUTCDate() + count);
    return moment.toISOString().slice(0, 10);
  }

  function closure(clinic, date) {
    for (var i = 0; i < clinic.closures.length; i++) {
      var c = clinic.closures[i];
      if (c[0] <= date && date <= c[1]) return c[2];
    }
    return null;
  }

  // "Open now · closes at 7 pm", "Closed · opens Monday at 7 am", or "Hours not listed".
  function openStatus(clinic, now) {
    if (!clinic.hours) return { open: null, text: "Hours not listed" };
    var here = localNow(clinic.tz, now), reason = closure(clinic, here.date);
    if (!reason) {
      var today = clinic.hours[here.day];
      for (var i = 0; i < today.length; i++) {
        var span = today[i].split("-");
        if (minutes(span[0]) <= here.minute && here.minute < minutes(span[1])) {
          return { open: true, text: "Open now · closes at " + clock(span[1]) };
        }
      }
    }
    var closed = reason ? "Closed today (" + reason + ")" : "Closed";
    for (var ahead = 0; ahead < 21; ahead++) {
      var day = (here.day + ahead) % 7;
      if (closure(clinic, addDays(here.date, ahead))) continue;
      var intervals = clinic.hours[day];
      for (var j = 0; j < intervals.length; j++) {
        var opens = intervals[j].split("-")[0];
        if (ahead > 0 || minutes(opens) > here.minute) {
          var when = ahead === 0 ? "today" : DAYS[day];
          return { open: false, text: closed + " · opens " + when + " at " + clock(opens) };
        }
      }
    }
    return { open: false, text: closed };
  }

  // "Today: 7 am to 7 pm", or "Today: closed (Winter holidays)": a card's hours for the day it is read.
  function todaysHours(clinic, now) {
    var here = localNow(clinic.tz, now), reason = closure(clinic, here.date);
    var spans = clinic.hours[here.day].map(function (span) {
      var ends = span.split("-");
      return clock(ends[0]) + " to " + clock(ends[1]);
    });
    return "Today: " + (reason ? "closed (" + reason + ")" : spans.join(", ") || "closed");
  }

  function distance(lat1, lon1, lat2, lon2) { // great circle, haversine
    var rad = Math.PI / 180, radius = data.unit === "mi" ? 3958.8 : 6371.0;
    var a = Math.pow(Math.sin((lat2 - lat1) * rad / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin((lon2 - lon1) * rad / 2), 2);
    return 2 * radius * Math.asin(Math.sqrt(a));
  }

  // The paragraph after a clinic's address that says whether it is open, made on first use.
  function slotAfter(address, name) {
    var slot = address.parentNode.querySelector("." + name);
    if (!slot) {
      slot = document.createElement("p");
      slot.className = name;
      address.after(slot);
    }
    return slot;
  }

  function showStatus(now) {
    data.clinics.forEach(function (clinic) {
      document.querySelectorAll('address[data-clinic="' + clinic.id + '"]').forEach(function (address) {
        var status = openStatus(clinic, now), slot = slotAfter(address, "open-status");
        slot.textContent = status.text;
        slot.classList.toggle("is-open", status.open === true);
        slot.hidden = status.open === null; // the page already says "Hours not listed"
        var today = address.parentNode.querySelector(".hours-today");
        if (today && clinic.hours) today.textContent = todaysHours(clinic, now);
      });
    });
    // A clinic's own page: mark today's row of its hours table.
    if (data.clinics.length === 1) {
      var day = localNow(data.clinics[0].tz, now).day;
      document.querySelectorAll(".hours tr[data-day]").forEach(function (row) {
        var today = Number(row.getAttribute("data-day")) === day;
        row.classList.toggle("today", today);
        if (today) row.setAttribute("aria-current", "date"); else row.removeAttribute("aria-current");
      });
    }
  }

  showStatus(new Date());
  setInterval(function () { showStatus(new Date()); }, 60000);

  function normalise(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  var tools = document.querySelector("[data-locator]");
  if (!tools) return;
  var input = tools.querySelector("input");
  var message = tools.querySelector("[role=status]");
  var locate = tools.querySelector("[data-use-location]");
  var groups = document.querySelector(".clinic-groups");
  var cards = {}, words = {};
  // One flat list, under a heading of its own, replaces the grouped one so that it can be sorted;
  // each clinic's heading moves up a level with it.
  var title = document.createElement("h2");
  title.className = "visually-hidden";
  title.textContent = "Clinics";
  var results = document.createElement("ul");
  results.className = "clinic-list clinic-results";
  groups.parentNode.insertBefore(title, groups);
  groups.parentNode.insertBefore(results, groups);
  groups.hidden = true;
  document.querySelectorAll(".clinic-card").forEach(function (card) {
    var id = card.querySelector("address").getAttribute("data-clinic");
    cards[id] = card;
    words[id] = " " + normalise(card.textContent);
    var old = card.querySelector("h4"), heading = document.createElement("h3");
    while (old.firstChild) heading.appendChild(old.firstChild);
    old.replaceWith(heading);
  });
  var byName = data.clinics.slice().sort(function (a, b) {
    return cards[a.id].querySelector("h3").textContent.localeCompare(cards[b.id].querySelector("h3").textContent);
  });
  var origin = null; // {lat, lon, label} once the patient shares a location or types a known postal code
  var located = null;
  var note = "";
  var sorted = [], sortedFrom = null; // every clinic in the current order, and where it is sorted from
  var listed = null; // what the list shows now

  function render() {
    var query = normalise(input.value), terms = query ? query.split(" ") : [];
    var postcode = /^[0-9]{5}$/.test(query) ? query : null;
    var from = located, heading = note;
    if (postcode && window.sitePostcodes) {
      var centroid = window.sitePostcodes[postcode];
      if (centroid) {
        from = { lat: centroid[0], lon: centroid[1], label: "postal code " + postcode };
        terms = [];
      } else {
        heading = "We have no location for postal code " + postcode + ", so this shows clinics whose details match it.";
      }
    }
    var place = from ? from.lat + "," + from.lon : "";
    if (place !== sortedFrom) {
      sorted = byName.slice();
      if (from) {
        sorted.forEach(function (clinic) { clinic.away = distance(from.lat, from.lon, clinic.lat, clinic.lon); });
        sorted.sort(function (a, b) { return a.away - b.away; });
      }
      sorted.forEach(function (clinic) {
        var away = slotAfter(cards[clinic.id].querySelector("h3"), "distance");
        away.hidden = !from;
        if (from) away.textContent = clinic.away.toFixed(1) + " " + data.unit + " away";
      });
      sortedFrom = place;
    }
    var shown = sorted.filter(function (clinic) {
      return terms.every(function (term) { return words[clinic.id].indexOf(" " + term) >= 0; });
    });
    // The list holds only the matching cards, in order. Taking the others out of the page, rather than
    // hiding them, keeps typing quick with thousands of clinics (Chromium lays hidden ones out slowly).
    var key = place + "|" + shown.map(function (clinic) { return clinic.id; }).join(" ");
    if (key !== listed) {
      results.replaceChildren.apply(results, shown.map(function (clinic) { return cards[clinic.id]; }));
      listed = key;
    }
    var count = shown.length === 1 ? "1 clinic" : shown.length + " clinics";
    var sort = from ? "nearest first, from " + from.label : "A to Z by name";
    message.textContent = (heading ? heading + " " : "") +
      (shown.length ? "Showing " + count + ", " + sort + "." : "No clinic matches. Try a city or a postal code.");
  }

  function loadPostcodes() {
    if (window.sitePostcodes || loadPostcodes.started) return;
    loadPostcodes.started = true;
    var script = document.createElement("script");
    script.src = tools.getAttribute("data-postcodes");
    script.onload = render;
    document.head.appendChild(script);
  }

  input.addEventListener("input", function () {
    if (/[0-9]/.test(input.value)) loadPostcodes();
    render();
  });

  locate.addEventListener("click", function () {
    if (!navigator.geolocation) {
      note = "This browser cannot share your location.";
      render();
      return;
    }
    message.textContent = "Finding your location…";
    navigator.geolocation.getCurrentPosition(function (position) {
      located = { lat: position.coords.latitude, lon: position.coords.longitude, label: "your location" };
      note = "";
      render();
    }, function (error) {
      note = error.code === 1 ? "Your location was not shared." :
        error.code === 3 ? "Finding your location took too long." : "Your location could not be found.";
      note += " Type a city or postal code to find a clinic near you.";
      render();
    }, { timeout: 10000, maximumAge: 600000 });
  });

  tools.hidden = false;
  render();
})();
