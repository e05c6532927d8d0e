// Clinic locator: "open now" and today's hours in each clinic's own time zone, on the pages listing
// clinics and each clinic's own; the locator's search (locator-search.js) shows the same.
// Progressive enhancement: every page says a clinic's hours without this script.
// Its words are English as written here; a page in another language gives them translated in its
// data's `words` (features/locator.py, script_words), and its times and weekdays are the language's (Intl).
(function () {
  "use strict";
  var source = document.getElementById("locator-data");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var words = data.words || {};
  var lang = document.documentElement.lang || "en";
  var english = /^en(-|$)/i.test(lang);

  // A message in the page's language: its translation, else as written here; %(name)s filled.
  function say(message, values) {
    var text = words[message] || message;
    return values ? text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; }) : text;
  }

  // A moment of 1 January 2024, a Monday, as the page's language writes it with these options.
  function local(options, day, hour, minute) {
    options.timeZone = "UTC";
    return new Intl.DateTimeFormat(lang, options).format(Date.UTC(2024, 0, 1 + day, hour, minute));
  }

  function minutes(time) {
    var parts = time.split(":");
    return Number(parts[0]) * 60 + Number(parts[1]);
  }

  // Minutes of the day: 420 → "7 am", 810 → "1:30 pm", 720 → "noon"; in another language, as it writes
  // a time ("7:00 a.m.", "7:00"), as the page's hours tables do (kinds/clinic.py, time_of_day).
  function clock(total) {
    var hour = Math.floor(total / 60), minute = total % 60;
    if (!english) return local({ hour: "numeric", minute: "2-digit" }, 0, hour % 24, minute);
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
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(now).forEach(function (part) { parts[part.type] = part.value; });
    var date = parts.year + "-" + parts.month + "-" + parts.day;
    return {
      date: date,
      day: (new Date(date + "T12:00:00Z").getUTCDay() + 6) % 7,
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

  // The times the clinic is open from yesterday to three weeks ahead, as [opens, closes] in minutes
  // from the start of today where it is. A period belongs to the day it opens (a closure that day
  // cancels it) and may close after midnight (18:00-02:00, to 2 am the next day); periods that meet
  // (Friday to midnight, then Saturday from midnight) are one time open.
  function openTimes(clinic, here) {
    var times = [];
    for (var ahead = -1; ahead <= 21; ahead++) {
      if (closure(clinic, addDays(here.date, ahead))) continue;
      clinic.hours[(here.day + ahead + 7) % 7].forEach(function (span) {
        var ends = span.split("-"), opens = minutes(ends[0]), closes = minutes(ends[1]);
        if (closes <= opens) closes += 1440;
        opens += ahead * 1440;
        closes += ahead * 1440;
        var last = times[times.length - 1];
        if (last && opens <= last[1]) last[1] = Math.max(last[1], closes);
        else times.push([opens, closes]);
      });
    }
    return times;
  }

  // "Open now · closes at 7 pm" (or "at 2 am tomorrow"), "Open 24 hours" (open for the next day at
  // least), "Closed · opens Monday at 7 am", or "Hours not listed".
  function openStatus(clinic, now) {
    if (!clinic.hours) return { open: null, text: say("Hours not listed") };
    var here = localNow(clinic.tz, now), reason = closure(clinic, here.date), times = openTimes(clinic, here);
    var values = { reason: reason };
    for (var i = 0; i < times.length; i++) {
      var opens = times[i][0], closes = times[i][1];
      if (opens <= here.minute && here.minute < closes) {
        if (closes - here.minute >= 1440) return { open: true, text: say("Open 24 hours") };
        values.time = clock(closes % 1440 || 1440);
        return { open: true, text: closes <= 1440 ? say("Open now · closes at %(time)s", values) :
          say("Open now · closes at %(time)s tomorrow", values) };
      }
      if (opens > here.minute) {
        // A day's start is "12 am": "Saturday at midnight" could be read as the night after. The
        // weekday as a sentence names it: "Monday", "lunes".
        var ahead = Math.floor(opens / 1440);
        values.day = local({ weekday: "long" }, (here.day + ahead) % 7, 12, 0);
        values.time = opens % 1440 || !english ? clock(opens % 1440) : "12 am";
        return { open: false, text: reason ?
          say("Closed today (%(reason)s) · opens %(day)s at %(time)s", values) : ahead ?
          say("Closed · opens %(day)s at %(time)s", values) :
          say("Closed · opens today at %(time)s", values) };
      }
    }
    return { open: false, text: reason ? say("Closed today (%(reason)s)", values) : say("Closed") };
  }

  // One period as the page's tables word it: "7 am to 7 pm", "6 pm to 2 am", "open 24 hours".
  function periodWords(span) {
    var ends = span.split("-");
    return span === "00:00-24:00" ? say("open 24 hours") :
      say("%(opens)s to %(closes)s", { opens: clock(minutes(ends[0])), closes: clock(minutes(ends[1])) });
  }

  // "Today: 7 am to 7 pm", or "Today: closed (Winter holidays)": a card's hours for the day it is read.
  function todaysHours(clinic, now) {
    var here = localNow(clinic.tz, now), reason = closure(clinic, here.date);
    var spans = clinic.hours[here.day].map(periodWords);
    return reason ? say("Today: closed (%(reason)s)", { reason: reason }) :
      spans.length ? say("Today: %(hours)s", { hours: spans.join(", ") }) : say("Today: closed");
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
    // A clinic's own page: mark today's row of its hours table, and leave out closures that have
    // ended since the page was built.
    if (data.clinics.length === 1) {
      var here = localNow(data.clinics[0].tz, now), day = here.day;
      document.querySelectorAll(".hours tr[data-day]").forEach(function (row) {
        var today = Number(row.getAttribute("data-day")) === day;
        row.classList.toggle("today", today);
        if (today) row.setAttribute("aria-current", "date"); else row.removeAttribute("aria-current");
      });
      document.querySelectorAll(".closures").forEach(function (list) {
        var items = list.querySelectorAll("li[data-ends]"), over = 0;
        items.forEach(function (item) {
          item.hidden = item.getAttribute("data-ends") < here.date;
          if (item.hidden) over++;
        });
        list.hidden = over === items.length;
      });
    }
  }

  showStatus(new Date());
  setInterval(function () { showStatus(new Date()); }, 60000);

  // The locator's search (its fold and matching, its results, how far each clinic is) is
  // locator-search.js, loaded after this script on the locator: it shows whether each clinic found is
  // open, in the page's words (the search's are in the same data).
  window.siteLocator = { openStatus: openStatus, say: say, words: words, lang: lang };
})();
