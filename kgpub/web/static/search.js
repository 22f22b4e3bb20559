// The static site's search by label prefix (kgpub site writes no server): the labels are split
// into small JSON files by the first two characters of their folded form (see fold), named by the hex
// of those characters' UTF-8 bytes (-/search/prefix/616b.json holds the labels starting "ak"),
// each a list of [folded label, label, href, IRI] in label order.  A query fetches one file
// and keeps the entries that start with it.  Results reach the page through textContent and
// attributes only: no HTML is built from data.
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  if (!app) { return; }
  var index = app.dataset.index, limit = parseInt(app.dataset.limit, 10) || 50;
  var input = document.getElementById("search-q"), hits = document.getElementById("hits");
  var status = document.getElementById("search-status");
  var files = {};

  // The key kgpub.web.search.fold computes in Python: NFC of the text upper-cased then lower-cased.
  function fold(text) {
    return text.normalize("NFC").toUpperCase().toLowerCase().normalize("NFC");
  }

  function hex(text) {
    var bytes = new TextEncoder().encode(text), out = "";
    for (var i = 0; i < bytes.length; i++) { out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return out;
  }

  function file(key) {
    if (!files[key]) {
      files[key] = fetch(index + hex(key) + ".json").then(function (r) { return r.ok ? r.json() : []; },
                                                           function () { return []; });
    }
    return files[key];
  }

  function show(q, entries) {
    hits.textContent = "";
    var found = entries.filter(function (e) { return e[0].indexOf(q) === 0; });
    found.slice(0, limit).forEach(function (e) {
      var li = document.createElement("li"), a = document.createElement("a"), iri = document.createElement("span");
      a.href = e[2];
      a.title = e[3];
      a.textContent = e[1];
      iri.className = "iri";
      iri.textContent = e[3];
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(iri);
      hits.appendChild(li);
    });
    status.textContent = !found.length ? "No label starts with \u201c" + q + "\u201d."
      : found.length > limit ? "More resources match: type more letters." : "";
  }

  function search(text) {
    var q = fold(text.trim()), chars = Array.from(q);
    if (!q) { hits.textContent = ""; status.textContent = "Type the start of a label."; return; }
    file(chars.slice(0, 2).join("")).then(function (entries) {
      if (fold(input.value.trim()) === q) { show(q, entries); }
    });
  }

  var q = new URLSearchParams(window.location.search).get("q") || "";
  input.value = q;
  document.querySelectorAll("header form.search input[name=q]").forEach(function (box) { box.value = q; });
  input.addEventListener("input", function () {
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    search(input.value);
  });
  search(q);
}());
