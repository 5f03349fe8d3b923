// The board's form editor: Decap CMS with a file format of our own ("ailin-yaml"), so that what
// a form saves passes `ailin check` unchanged and a reviewer's diff shows only what was edited.
//
// Decap's own YAML writer rewrites a whole file on every save (flow lists become block lists,
// comments go, empty fields stay as ''). This one:
// - writes a new record in schema order, empty fields left out, dates and Chinese as they are;
// - on an edit, replaces only the top-level fields whose value changed, keeping every other
//   line of the file (comments, flow style, quoting) byte for byte.
// The configuration comes from config.json, generated from schemas/ on every build.
(function () {
  "use strict";

  var FORMAT = "ailin-yaml";
  var loaded = {}; // record id -> {text, data}: what a save is compared with
  var childOrder = {}; // field name -> its sub-fields in schema order (steps -> step, date, note)

  function isMap(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isEmpty(value) {
    return value === "" || value === null || value === undefined ||
      (Array.isArray(value) && value.length === 0) || (isMap(value) && Object.keys(value).length === 0);
  }

  // Empty values out (a form leaves '' and [] behind), nested keys in schema order.
  function tidy(value, name) {
    if (Array.isArray(value)) {
      return value.map(function (item) { return tidy(item, name); }).filter(function (item) { return !isEmpty(item); });
    }
    if (isMap(value)) {
      var order = childOrder[name] || [];
      var keys = order.filter(function (key) { return key in value; })
        .concat(Object.keys(value).filter(function (key) { return order.indexOf(key) < 0; }));
      var result = {};
      keys.forEach(function (key) {
        var item = tidy(value[key], key);
        if (!isEmpty(item)) result[key] = item;
      });
      return result;
    }
    if (typeof value === "string") return value.replace(/\r\n?/g, "\n");
    return value;
  }

  // -- writing YAML ---------------------------------------------------------------------------

  // Text that YAML would read as something else, or could not read plain, is double-quoted
  // (JSON's escapes are YAML's). Dates such as 2024-05-06 stay plain.
  var NEEDS_QUOTES = new RegExp([
    "^[-?:,\\[\\]{}#&*!|>'\"%@`\\s]", "\\s$", ": ", "\\s#", ":$",
    "^(?:~|null|true|false|yes|no|on|off|y|n)$",
    "^[-+]?(?:[0-9][0-9_]*(?:\\.[0-9_]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?$",
    "^0[xob]", "^[-+]?\\.(?:inf|nan)$",
    "[\\u0000-\\u001f\\u007f\\u2028\\u2029\\ufeff]",
  ].join("|"), "i");

  function scalar(value, inFlow) {
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    var text = String(value);
    if (text === "" || NEEDS_QUOTES.test(text) || (inFlow && /[,\[\]{}]/.test(text))) return JSON.stringify(text);
    return text;
  }

  function isInline(value) {
    return !(value !== null && typeof value === "object") && !(typeof value === "string" && value.indexOf("\n") >= 0);
  }

  function flowMap(map) {
    return "{" + Object.keys(map).map(function (key) { return scalar(key, true) + ": " + scalar(map[key], true); }).join(", ") + "}";
  }

  // A multi-line text as a literal block (`|` or `|-`); null when only quotes can keep it exact.
  function literal(text, indent) {
    if (/^[ \t]/.test(text) || /\n\n$/.test(text) || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) return null;
    var pad = " ".repeat(indent);
    var lines = text.replace(/\n$/, "").split("\n").map(function (line) { return line ? pad + line : ""; });
    return ["|" + (/\n$/.test(text) ? "" : "-")].concat(lines);
  }

  function pairLines(key, value, indent) {
    var pad = " ".repeat(indent);
    var head = pad + scalar(key, true) + ":";
    if (Array.isArray(value)) {
      if (value.every(isInline)) return [head + " [" + value.map(function (v) { return scalar(v, true); }).join(", ") + "]"];
      return value.reduce(function (lines, item) { return lines.concat(itemLines(item, indent + 2)); }, [head]);
    }
    if (isMap(value)) {
      if (Object.keys(value).map(function (k) { return value[k]; }).every(isInline)) return [head + " " + flowMap(value)];
      return Object.keys(value).reduce(function (lines, k) { return lines.concat(pairLines(k, value[k], indent + 2)); }, [head]);
    }
    if (typeof value === "string" && value.indexOf("\n") >= 0) {
      var block = literal(value, indent + 2);
      if (block) return [head + " " + block[0]].concat(block.slice(1));
    }
    return [head + " " + scalar(value, false)];
  }

  function itemLines(item, indent) {
    var pad = " ".repeat(indent);
    if (isMap(item) && !Object.keys(item).map(function (k) { return item[k]; }).every(isInline)) {
      return Object.keys(item).reduce(function (lines, key, index) {
        var inner = pairLines(key, item[key], indent + 2);
        if (index === 0) inner[0] = pad + "- " + inner[0].slice(indent + 2);
        return lines.concat(inner);
      }, []);
    }
    if (isMap(item)) return [pad + "- " + flowMap(item)];
    var lines = pairLines("x", item, indent); // a scalar item is written as a value would be
    lines[0] = pad + "- " + lines[0].slice(indent + 3);
    return lines;
  }

  function ordered(data, sortedKeys) {
    var keys = sortedKeys.filter(function (key) { return key in data; });
    return keys.concat(Object.keys(data).filter(function (key) { return keys.indexOf(key) < 0; }));
  }

  function wholeFile(data, sortedKeys) {
    return ordered(data, sortedKeys).reduce(function (lines, key) { return lines.concat(pairLines(key, data[key], 0)); }, []).join("\n") + "\n";
  }

  // -- editing a file in place ----------------------------------------------------------------

  // Each top-level field's lines: from its key to its last indented line (or `- `, or the `]` or
  // `}` closing a flow collection written over several lines). Comments and
  // blank lines between two fields stay with the field below, as a volunteer reads them.
  function topLevelFields(lines) {
    var fields = {};
    var current = null;
    lines.forEach(function (line, index) {
      var key = /^([A-Za-z_][A-Za-z0-9_]*)\s*:/.exec(line);
      if (key) {
        current = {start: index, end: index + 1};
        fields[key[1]] = current;
      } else if (current && /^[\s\-\]}]/.test(line) && line.trim() !== "" && !/^---/.test(line)) {
        current.end = index + 1;
      }
    });
    return fields;
  }

  function edited(original, data, sortedKeys) {
    var lines = original.text.replace(/\r\n?/g, "\n").split("\n");
    var fields = topLevelFields(lines);
    var order = ordered(data, sortedKeys);
    var edits = [];
    Object.keys(fields).forEach(function (key) {
      var where = fields[key];
      if (!(key in data)) {
        edits.push({start: where.start, end: where.end, lines: [], rank: 0});
      } else if (JSON.stringify(original.data[key]) !== JSON.stringify(data[key])) {
        edits.push({start: where.start, end: where.end, lines: pairLines(key, data[key], 0), rank: 0});
      }
    });
    order.forEach(function (key, rank) {
      if (key in fields) return;
      var before = order.slice(0, rank).reverse().filter(function (k) { return k in fields; })[0];
      var at = before ? fields[before].end : firstField(fields, lines.length);
      edits.push({start: at, end: at, lines: pairLines(key, data[key], 0), rank: rank});
    });
    // From the bottom up, so earlier positions stay valid; new fields at one place in order.
    edits.sort(function (a, b) { return b.start - a.start || b.rank - a.rank; });
    edits.forEach(function (edit) {
      Array.prototype.splice.apply(lines, [edit.start, edit.end - edit.start].concat(edit.lines));
    });
    return lines.join("\n");
  }

  function firstField(fields, fallback) {
    return Object.keys(fields).reduce(function (first, key) { return Math.min(first, fields[key].start); }, fallback);
  }

  // -- the format Decap calls -----------------------------------------------------------------

  function fromFile(text) {
    // The core schema: 2024-05-06 stays text, as `ailin check` reads it.
    var data = jsyaml.load(text, {schema: jsyaml.CORE_SCHEMA}) || {};
    if (isMap(data) && typeof data.id === "string") loaded[data.id] = {text: text, data: tidy(data, "")};
    return data;
  }

  function toFile(data, sortedKeys) {
    var clean = tidy(data, "");
    var original = typeof clean.id === "string" ? loaded[clean.id] : undefined;
    return original ? edited(original, clean, sortedKeys || []) : wholeFile(clean, sortedKeys || []);
  }

  function learnOrder(fields) {
    (fields || []).forEach(function (field) {
      if (field.fields) {
        childOrder[field.name] = field.fields.map(function (sub) { return sub.name; });
        learnOrder(field.fields);
      }
    });
  }

  fetch("config.json").then(function (response) { return response.json(); }).then(function (config) {
    config.collections.forEach(function (collection) {
      learnOrder(collection.fields);
      (collection.files || []).forEach(function (file) { learnOrder(file.fields); });
    });
    CMS.registerCustomFormat(FORMAT, "yaml", {fromFile: fromFile, toFile: toFile});
    config.load_config_file = false;
    CMS.init({config: config});
  });
})();
