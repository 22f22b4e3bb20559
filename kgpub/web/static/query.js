// The query page: runs the editor's query on the SPARQL endpoint (SPARQL 1.1 Protocol, POST form)
// and shows the results as a table; IRIs link to their pages here and show their labels.
// Everything reaches the page through textContent and attributes: no HTML is built from data.
(function () {
  "use strict";
  var app = document.getElementById("query-app");
  if (!app) { return; }
  var endpoint = app.dataset.endpoint, base = app.dataset.base, mount = app.dataset.mount, kgo = app.dataset.kgo;
  var form = document.getElementById("query-form"), editor = document.getElementById("query");
  var status = document.getElementById("status"), results = document.getElementById("results");
  var ontology = kgo.replace(/\/$/, "");
  var keep = /[A-Za-z0-9\/:@!$&'()*+,;=\-._~]/;

  function quote(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      out += keep.test(c) ? c : encodeURIComponent(c);
    }
    return out;
  }

  // Same as kgpub.web.locations.Locations.href.
  function href(iri) {
    if (iri.indexOf(base) === 0) { return mount + iri.slice(base.length); }
    if (iri === ontology) { return "/ontology"; }
    if (iri.indexOf(kgo) === 0 && iri.length > kgo.length) { return "/ontology/" + quote(iri.slice(kgo.length)); }
    var m = /^([A-Za-z]+):\/\/(.*)$/.exec(iri);
    return m ? "/-/external/" + m[1] + "/" + quote(m[2]) : "/-/external/urn/" + quote(iri);
  }

  function post(query) {
    return fetch(endpoint, {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
      body: new URLSearchParams({query: query}).toString()
    }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (text) { throw new Error(response.status + ": " + text); });
      }
      return response.json();
    });
  }

  function cell(term, links) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var a = document.createElement("a");
      a.href = href(term.value);
      a.title = term.value;
      a.textContent = term.value;
      a.dataset.iri = term.value;
      links.push(a);
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) { td.title = "@" + term["xml:lang"]; }
    }
    return td;
  }

  function label(links) {
    var iris = [];
    links.forEach(function (a) { if (iris.indexOf(a.dataset.iri) < 0) { iris.push(a.dataset.iri); } });
    iris = iris.filter(function (i) { return !/[<>"{}|\\^`\s]/.test(i); }).slice(0, 500);
    if (!iris.length) { return; }
    var q = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { " +
      iris.map(function (i) { return "<" + i + ">"; }).join(" ") + " } ?s rdfs:label ?l } GROUP BY ?s";
    post(q).then(function (data) {
      var names = {};
      data.results.bindings.forEach(function (b) { names[b.s.value] = b.label.value; });
      links.forEach(function (a) { if (names[a.dataset.iri]) { a.textContent = names[a.dataset.iri]; } });
    }).catch(function () { /* labels are a nicety; the IRIs stay */ });
  }

  function show(data) {
    results.textContent = "";
    if (typeof data.boolean === "boolean") {
      var p = document.createElement("p");
      p.className = "boolean";
      p.textContent = data.boolean ? "true" : "false";
      results.appendChild(p);
      status.textContent = "done";
      return;
    }
    var vars = data.head.vars, rows = data.results.bindings, links = [];
    var table = document.createElement("table"), head = document.createElement("tr");
    table.className = "results";
    vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    var thead = document.createElement("thead"); thead.appendChild(head); table.appendChild(thead);
    var tbody = document.createElement("tbody");
    rows.forEach(function (b) {
      var tr = document.createElement("tr");
      vars.forEach(function (v) { tr.appendChild(cell(b[v], links)); });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    results.appendChild(table);
    status.textContent = rows.length + (rows.length === 1 ? " row" : " rows");
    label(links);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = "running...";
    results.textContent = "";
    post(editor.value).then(show).catch(function (error) {
      status.textContent = "failed";
      var pre = document.createElement("pre");
      pre.className = "error";
      pre.textContent = error.message;
      results.appendChild(pre);
    });
  });

  // A link may prefill the editor (?edit=...), as the server does; the static export's page has no server.
  var edit = new URLSearchParams(window.location.search).get("edit");
  if (edit) { editor.value = edit; }

  document.getElementById("example").addEventListener("change", function (event) {
    var option = event.target.selectedOptions[0];
    if (option && option.dataset.query) { editor.value = option.dataset.query; }
  });
})();
