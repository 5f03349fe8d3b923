/* Ailin Board: search every suggestion, meeting and project of the board.
 *
 * The index is the generator's (find/ below the site root; generator/search.py describes the
 * format, and tokens() here must match its tokens()). Nothing of it is fetched until a resident
 * opens search; then the manifest, one shard per word typed, and the records of the results
 * shown, ten at a time. Phones' input methods report text through `input` (some WebViews only
 * through `keyup`); while a Chinese word is still being composed its letters are not searched. */
(function () {
  "use strict";
  var dialog = document.getElementById("ab-search");
  var opener = document.querySelector(".ab-search-open");
  if (!dialog || !opener || !window.fetch || !window.Promise || !Array.from) return;
  var words = JSON.parse(dialog.getAttribute("data-words"));
  var input = dialog.querySelector(".ab-search__input");
  var status = dialog.querySelector(".ab-search__status");
  var list = dialog.querySelector(".ab-search__results");
  var more = dialog.querySelector(".ab-search__more");
  var closer = dialog.querySelector(".ab-search__close");
  var folder = new URL(dialog.getAttribute("data-index"), location.href).href;
  var root = new URL("..", folder).href; // the site's root: find/ sits right below it
  var PAGE = 10; // results whose records are fetched at a time
  var manifest = null; // a promise of find/index.json, made when search is first opened
  var files = {}; // promises of fetched files, by name
  var asked = null; // the words of the latest search
  var found = []; // its record numbers, best first
  var next = 0; // how many of them are shown
  var timer = 0;
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;

  function say(text) { status.textContent = text; }

  function get(name) {
    if (!files[name]) {
      files[name] = fetch(folder + name).then(function (response) {
        if (!response.ok) throw new Error(name + ": " + response.status);
        return response.json();
      });
      files[name].catch(function () { delete files[name]; });
    }
    return files[name];
  }

  function load() {
    if (!manifest) {
      manifest = get("index.json");
      manifest.catch(function () { manifest = null; });
    }
    return manifest;
  }

  /* The query's words, as generator/search.py tokens(text, query=True) makes them. */
  function tokens(text) {
    text = text.normalize ? text.normalize("NFKC").toLowerCase() : text.toLowerCase();
    var out = [];
    (text.match(CJK) || []).forEach(function (run) {
      var chars = Array.from(run);
      if (chars.length === 1) out.push(chars[0]);
      for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    });
    (text.replace(CJK, " ").match(/[a-z0-9]+/g) || []).forEach(function (word) {
      out.push(word.length > 3 && /[^s]s$/.test(word) ? word.slice(0, -1) : word);
    });
    return out.filter(function (token, i) { return out.indexOf(token) === i; });
  }

  function shardOf(token, shards) {
    var h = 0x811c9dc5;
    Array.from(token).forEach(function (ch) { h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0; });
    return h % shards;
  }

  function ids(gaps) {
    var out = [], at = 0;
    for (var i = 0; i < gaps.length; i++) { at += gaps[i]; out.push(at); }
    return out;
  }

  /* Records holding every word, those with every word in their title first. */
  function lookup(info, words) {
    return Promise.all(words.map(function (token) {
      return get("i/" + shardOf(token, info.shards) + ".json?v=" + info.stamp).then(function (table) {
        return table[token] || [[], []];
      });
    })).then(function (lists) {
      var hits = null, inTitle = {};
      lists.forEach(function (entry, n) {
        var set = {};
        ids(entry[0]).forEach(function (id) { if (!hits || hits[id]) set[id] = true; });
        hits = set;
        ids(entry[1]).forEach(function (id) { inTitle[id] = (inTitle[id] || 0) + 1; });
      });
      return Object.keys(hits || {}).map(Number).sort(function (a, b) {
        return ((inTitle[b] || 0) - (inTitle[a] || 0)) || (a - b);
      });
    });
  }

  function open() {
    dialog.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    document.documentElement.classList.add("ab-search-active");
    input.focus();
    load().catch(function () { say(words.search_failed); });
  }

  function close() {
    dialog.hidden = true;
    opener.setAttribute("aria-expanded", "false");
    document.documentElement.classList.remove("ab-search-active");
    opener.focus();
  }

  function schedule(event) {
    if (event && event.isComposing) return; // the input method has not committed the word yet
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  }

  function run() {
    clearTimeout(timer);
    var query = input.value.trim();
    if (query === asked) return;
    asked = query;
    found = [];
    next = 0;
    list.textContent = "";
    more.hidden = true;
    if (!query) { say(words.search_hint); return; }
    say(words.search_loading);
    var query_words = tokens(query);
    load().then(function (info) {
      return query_words.length ? lookup(info, query_words).then(function (hits) { return [info, hits]; }) : [info, []];
    }).then(function (result) {
      if (query !== asked) return; // a newer search has started
      found = result[1];
      if (!found.length) { say(words.search_none); return; }
      say(words.search_count.replace("{n}", found.length));
      return show(query, result[0]);
    }).catch(function () {
      if (query === asked) { asked = null; say(words.search_failed); }
    });
  }

  function show(query, info) {
    var batch = found.slice(next, next + PAGE);
    next += batch.length;
    more.hidden = true;
    return Promise.all(batch.map(function (id) {
      return get("d/" + Math.floor(id / info.per_file) + ".json?v=" + info.stamp).then(function (rows) {
        return rows[id % info.per_file];
      });
    })).then(function (rows) {
      if (query !== asked) return;
      var marks = tokens(query);
      rows.forEach(function (row) { list.appendChild(render(row, marks)); });
      more.hidden = next >= found.length;
    });
  }

  /* row: [url, title, status, chip, where, snippet] */
  function render(row, marks) {
    var li = document.createElement("li");
    li.className = "ab-search__result";
    var link = document.createElement("a");
    link.href = root + row[0];
    highlight(link, row[1], marks);
    li.appendChild(link);
    var line = document.createElement("p");
    line.className = "ab-search__meta";
    if (row[2]) {
      var chip = document.createElement("span");
      chip.className = "ab-chip " + (/^ab-[a-z_-]+$/.test(row[3]) ? row[3] : "ab-kind");
      chip.textContent = row[2];
      line.appendChild(chip);
      line.appendChild(document.createTextNode(" "));
    }
    line.appendChild(document.createTextNode(row[4]));
    li.appendChild(line);
    if (row[5]) {
      var text = document.createElement("p");
      text.className = "ab-search__excerpt";
      highlight(text, row[5], marks);
      li.appendChild(text);
    }
    return li;
  }

  /* The text into `element`, with the words searched for in <mark>; text only, never markup. */
  function highlight(element, text, marks) {
    var lower = text.toLowerCase(), at = 0, spans = [];
    marks.forEach(function (token) {
      for (var i = lower.indexOf(token); i >= 0; i = lower.indexOf(token, i + 1)) spans.push([i, i + token.length]);
    });
    spans.sort(function (a, b) { return a[0] - b[0]; }).forEach(function (span) {
      if (span[1] <= at) return;
      var start = Math.max(span[0], at);
      if (start > at) element.appendChild(document.createTextNode(text.slice(at, start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(start, span[1]);
      element.appendChild(mark);
      at = span[1];
    });
    if (at < text.length) element.appendChild(document.createTextNode(text.slice(at)));
  }

  /* Keep keyboard focus inside the open dialog. */
  function trap(event) {
    if (event.key === "Escape") { event.preventDefault(); close(); return; }
    if (event.key !== "Tab") return;
    var stops = [].filter.call(dialog.querySelectorAll("input, button, a[href]"), function (e) {
      return !e.hidden && e.offsetParent !== null;
    });
    var first = stops[0];
    var last = stops[stops.length - 1];
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
  }

  opener.addEventListener("click", open);
  closer.addEventListener("click", close);
  dialog.addEventListener("keydown", trap);
  dialog.addEventListener("click", function (event) { if (event.target === dialog) close(); });
  input.addEventListener("input", schedule);
  input.addEventListener("keyup", function (event) { if (event.key !== "Escape" && event.key !== "Tab") schedule(event); });
  input.addEventListener("compositionend", function () { schedule(); });
  dialog.querySelector("form").addEventListener("submit", function (event) { event.preventDefault(); asked = null; run(); input.blur(); });
  more.addEventListener("click", function () {
    var shown = next;
    load().then(function (info) { return show(asked, info); }).then(function () {
      var link = list.children[shown] && list.children[shown].querySelector("a");
      if (link) link.focus();
    });
  });
  opener.hidden = false;
})();
