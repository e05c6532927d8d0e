// The clinic locator's search: as someone types, the clinics whose name, address, region, country or
// care match, from the index of every clinic (clinics/search.js); "Use my location" and a US postal
// code sort them nearest first. Loaded on the locator by locator-start.js, after the index and
// locator.js, whose open-now it shows. Its words are English as written here, or the page's
// language's from the page's data (features/locator.py, script_words), through locator.js's `say`.
(function () {
  "use strict";
  var locator = window.siteLocator;
  var tools = document.querySelector("[data-locator]");
  if (!tools || !locator) return;
  var say = locator.say, lang = locator.lang;

  // A message with plural forms for the number `values.num`: the translation's form for its plural
  // category in the page's language (features/locator.py gives one for each), else the English form.
  function plural(one, other, values) {
    var forms = locator.words[one], number = values.num;
    return say(forms ? forms[new Intl.PluralRules(lang).select(number)] || forms.other : number === 1 ? one : other,
      values);
  }

  function distance(lat1, lon1, lat2, lon2) { // great circle, haversine, in the index's unit
    var rad = Math.PI / 180, radius = index.unit === "mi" ? 3958.8 : 6371.0;
    var a = Math.pow(Math.sin((lat2 - lat1) * rad / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin((lon2 - lon1) * rad / 2), 2);
    return 2 * radius * Math.asin(Math.sqrt(a));
  }

  // A distance with one decimal, as the page's language writes it: "2.5", "2,5".
  function decimal(number) {
    return /^en(-|$)/i.test(lang) ? number.toFixed(1) :
      new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(number);
  }
  var LIMIT = 20; // results shown at once: a keystroke lays out no more, however many clinics match

  // Text as the search compares it: lower case, without accents (the combining marks of Latin, Greek
  // and Cyrillic letters; other scripts' marks make other letters) or apostrophes ("O'Brien" is
  // "obrien"), letters and digits of every script kept, anything else one space. fold() in
  // features/locator.py does the same to the words it adds to the index: change both together.
  var LETTERS = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "ς": "σ" };
  function fold(text) {
    return text.toLowerCase().normalize("NFKD")
      .replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, "")
      .replace(/['`\u00b4\u2018\u2019\u02bb\u02bc]/g, "")
      .replace(/[ßæœøłđıς]/g, function (letter) { return LETTERS[letter]; })
      .replace(/[^\p{L}\p{N}\p{M}]+/gu, " ").trim();
  }

  // What a term must be found as in a clinic's words: the start of a word for Latin, Greek and
  // Cyrillic words and numbers ("den" finds Denver, "ver" does not); anywhere for other scripts,
  // which do not space their words or join prefixes to them (中文, العيادة).
  function needle(term) {
    return /^[\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}\p{N}]+$/u.test(term) ? " " + term : term;
  }

  // Opened from disk, a link to a folder shows its files: name the page in it, as site.js does.
  function pageLink(href) {
    return window.location.protocol === "file:" && /\/$/.test(href) ? href + "index.html" : href;
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  }

  var input = tools.querySelector("input");
  var message = tools.querySelector("[role=status]");
  var locate = tools.querySelector("[data-use-location]");
  var places = document.querySelector(".clinic-places");
  // While someone searches, the clinics found take the place of the list of places, under a heading of
  // their own.
  var title = element("h2", "visually-hidden", say("Clinics found"));
  var results = element("ul", "clinic-list clinic-results");
  var more = element("p", "locator-more");
  var index = null; // the index: {unit, countries, clinics}
  var words = {}, countryWords = {}, otherPostcode = null, byName = [];
  var items = {}; // each clinic's result, made when it is first shown
  var located = null; // {lat, lon, label} once the patient shares a location
  var note = "";
  var sorted = [], sortedFrom = null; // every clinic in the current order, and where it is sorted from
  var listed = null; // what the list shows now

  function start(loaded) {
    index = loaded;
    // Each clinic is also found by its country's codes and names, folded by features/locator.py
    // (a site in one country names it once, for all its clinics).
    var countries = index.countries || {};
    index.clinics.forEach(function (clinic) {
      countryWords[clinic.id] = countries[clinic.country || Object.keys(countries)[0]];
      var text = [clinic.name].concat(clinic.address, clinic.words).join(" ");
      words[clinic.id] = " " + fold(text) + " " + (countryWords[clinic.id] || "");
    });
    // Postal codes of the site's other countries: distances are from US ZIP codes only, and it says so.
    otherPostcode = index.otherPostcodes ? new RegExp("^(?:" + index.otherPostcodes + ")$", "i") : null;
    var names = new Intl.Collator(document.documentElement.lang || undefined);
    byName = index.clinics.slice().sort(function (a, b) { return names.compare(a.name, b.name); });
    [title, results, more].forEach(function (part) { part.hidden = true; });
    tools.after(title, results, more); // just below the search, above a map
    input.addEventListener("input", function () {
      if (/[0-9]/.test(input.value)) loadPostcodes();
      render();
    });
    locate.addEventListener("click", findMe);
    setInterval(tellStatus, 60000);
    tools.setAttribute("data-ready", "");
    if (/[0-9]/.test(input.value)) loadPostcodes();
    render(); // what was typed while the index loaded
    if (tools.getAttribute("data-pending") === "locate") findMe(); // pressed before this script was ready
  }

  // A clinic as a result: its name (a link to its page), distance, address, whether it is open now,
  // and Call and Directions, as the cards of the places' pages give them.
  function result(clinic) {
    var item = items[clinic.id];
    if (!item) {
      item = items[clinic.id] = element("li", "clinic-card");
      var heading = element("h3"), link = element("a", "", clinic.name), address = element("address");
      link.href = pageLink(clinic.url);
      heading.appendChild(link);
      address.setAttribute("data-clinic", clinic.id);
      clinic.address.forEach(function (line, number) {
        if (number) address.appendChild(element("br"));
        address.appendChild(document.createTextNode(line));
      });
      // "Call 919-555-0100": the number kept on one line, wherever the language puts it.
      var actions = element("p", "actions"), call = element("a", "button"), label = element("span");
      var words = say("Call %(phone)s").split("%(phone)s");
      var directions = element("a", "button button-secondary", say("Directions"));
      call.href = "tel:" + clinic.tel;
      label.append(words[0], element("span", "nowrap", clinic.phone), words.slice(1).join(""));
      call.appendChild(label);
      directions.href = "https://www.google.com/maps/dir/?api=1&destination=" + clinic.lat + "," + clinic.lon;
      directions.setAttribute("aria-label", say("Directions to %(clinic)s", { clinic: clinic.name }));
      actions.append(call, directions);
      item.append(heading, element("p", "distance"), address, element("p", "open-status"), actions);
      item.clinic = clinic;
    }
    var away = item.querySelector(".distance");
    away.hidden = clinic.away === null;
    if (clinic.away !== null) {
      away.textContent = say("%(distance)s %(unit)s away",
        { distance: decimal(clinic.away), unit: index.unit });
    }
    return item;
  }

  // Whether a clinic is open takes about a millisecond to work out (its time zone, three weeks of its
  // hours), so the results shown are told a few at a time once the list is drawn, and again each
  // minute: typing never waits for them. Each line keeps its space meanwhile (site.css).
  var telling = 0;
  function tellStatus() {
    clearTimeout(telling);
    var minute = Math.floor(Date.now() / 60000);
    var waiting = [].filter.call(results.children, function (item) { return item.minute !== minute; });
    function next() {
      waiting.splice(0, 4).forEach(function (item) {
        var status = locator.openStatus(item.clinic, new Date()), slot = item.querySelector(".open-status");
        slot.textContent = status.text;
        slot.classList.toggle("is-open", status.open === true);
        item.minute = minute;
      });
      if (waiting.length) telling = setTimeout(next, 0);
    }
    telling = setTimeout(next, 0);
  }

  function render() {
    var query = fold(input.value), terms = query ? query.split(" ") : [];
    var postcode = /^[0-9]{5}$/.test(query) ? query : null;
    var from = located, heading = note;
    if (postcode && window.sitePostcodes) {
      var centroid = window.sitePostcodes[postcode];
      if (centroid) {
        from = { lat: centroid[0], lon: centroid[1], label: say("postal code %(code)s", { code: postcode }) };
        terms = [];
      } else {
        heading = say("We have no location for postal code %(code)s, so this shows clinics whose " +
          "details match it.", { code: postcode });
      }
    } else if (otherPostcode && otherPostcode.test(input.value.trim())) {
      heading = say("We find distances from US postal codes only, so this shows clinics whose details " +
        "match it.");
    }
    var place = from ? from.lat + "," + from.lon : "";
    if (place !== sortedFrom) {
      sorted = byName.slice();
      sorted.forEach(function (clinic) {
        clinic.away = from ? distance(from.lat, from.lon, clinic.lat, clinic.lon) : null;
      });
      if (from) sorted.sort(function (a, b) { return a.away - b.away; });
      sortedFrom = place;
    }
    var searching = terms.length > 0 || from !== null;
    [title, results].forEach(function (part) { part.hidden = !searching; });
    places.hidden = searching;
    if (!searching) { // the places again; a note on the location, if any
      results.replaceChildren();
      listed = null;
      more.hidden = true;
      message.textContent = heading;
      return;
    }
    var needles = terms.map(needle);
    var shown = sorted.filter(function (clinic) {
      return needles.every(function (term) { return words[clinic.id].indexOf(term) >= 0; });
    });
    // The list holds only the first matching results, in order: taking the others out of the page,
    // rather than hiding them, keeps each keystroke quick with thousands of clinics.
    var first = shown.slice(0, LIMIT);
    var key = place + "|" + first.map(function (clinic) { return clinic.id; }).join(" ");
    if (key !== listed) {
      results.replaceChildren.apply(results, first.map(result));
      listed = key;
      tellStatus();
    }
    more.hidden = shown.length <= LIMIT;
    if (!more.hidden) {
      more.textContent = say("%(count)s more. Type more of a name, city or postal code to narrow the list.",
        { count: shown.length - LIMIT });
    }
    var count = first.length < shown.length ?
      plural("%(shown)s of %(num)s clinic", "%(shown)s of %(num)s clinics",
        { shown: first.length, num: shown.length }) :
      plural("%(num)s clinic", "%(num)s clinics", { num: shown.length });
    message.textContent = (heading ? heading + " " : "") + (!shown.length ?
      say("No clinic matches. Try a city or a postal code.") : from ?
      say("Showing %(count)s, nearest first, from %(place)s.", { count: count, place: from.label }) :
      say("Showing %(count)s, A to Z by name.", { count: count }));
  }

  function loadPostcodes() {
    if (window.sitePostcodes || loadPostcodes.started) return;
    loadPostcodes.started = true;
    var script = document.createElement("script");
    script.src = tools.getAttribute("data-postcodes");
    script.onload = render;
    document.head.appendChild(script);
  }

  function findMe() {
    if (!navigator.geolocation) {
      note = say("This browser cannot share your location.");
      render();
      return;
    }
    message.textContent = say("Finding your location…");
    navigator.geolocation.getCurrentPosition(function (position) {
      located = { lat: position.coords.latitude, lon: position.coords.longitude,
        label: say("your location") };
      note = "";
      render();
    }, function (error) {
      note = error.code === 1 ? say("Your location was not shared.") :
        error.code === 3 ? say("Finding your location took too long.") :
        say("Your location could not be found.");
      note += " " + say("Type a city or postal code to find a clinic near you.");
      render();
    }, { timeout: 10000, maximumAge: 600000 });
  }

  tools.hidden = false;
  // The index of every clinic: loaded before this script by locator-start.js, or here when a page
  // loads this script itself.
  if (window.siteClinics) {
    start(window.siteClinics);
  } else {
    var script = document.createElement("script");
    script.src = tools.getAttribute("data-index");
    script.onload = function () { start(window.siteClinics); };
    document.head.appendChild(script);
  }
})();
