(function () {
  "use strict";
  // Filters, search and the findings table, in the page: no network, no HTML built from text.
  var form = document.getElementById("filters");
  var titles = JSON.parse(document.getElementById("article-titles").textContent);
  var data = document.getElementById("findings-data");
  // A row: severity, kind, code, path, line, column, message, claim, article, link, tags,
  // waiver reason, fingerprint, link to the claim's card.
  var rows = data ? JSON.parse(data.textContent) : [];
  var table = document.getElementById("findings-table");
  var RANK = { error: 0, warning: 1, info: 2 };
  var PER_VIEW = 100;
  var KEYS = {
    severity: function (r) { return [RANK[r[0]], r[3], r[4], r[5]]; },
    kind: function (r) { return [r[1], RANK[r[0]], r[3], r[4], r[5]]; },
    where: function (r) { return [r[3], r[4], r[5]]; },
    finding: function (r) { return [r[6].toLowerCase()]; }
  };
  var state = { sort: null, descending: false, page: 0, shown: rows };
  form.hidden = false;

  function current() {
    var kinds = {};
    form.querySelectorAll("input[name=kind]").forEach(function (box) { kinds[box.value] = box.checked; });
    function text(name) { return form.elements[name].value.trim().toLowerCase(); }
    return { kinds: kinds, claim: text("claim"), article: text("article"), search: text("search") };
  }
  function has(haystack, needle) { return haystack.toLowerCase().indexOf(needle) >= 0; }
  function articleMatches(id, wanted) {
    var known = titles[id];
    return has(id, wanted) || (known !== undefined && (has(known[0], wanted) || has(known[1], wanted)));
  }
  function anyOf(list, test) { return list.split(" ").some(test); }

  function showElement(el, f) {
    var d = el.dataset;
    if (d.kind !== undefined && f.kinds[d.kind] === false) { return false; }
    if (f.claim) {
      if (d.claims === undefined) {
        if (d.kind !== undefined) { return false; }
      } else if (!anyOf(d.claims, function (c) { return has(c, f.claim); })) { return false; }
    }
    if (f.article && d.article !== undefined &&
        !anyOf(d.article, function (a) { return articleMatches(a, f.article); })) { return false; }
    if (f.search && !el.closest(".matrix") && !has(el.textContent, f.search)) { return false; }
    return true;
  }
  function rowMatches(r, f) {
    if (f.kinds[r[1]] === false) { return false; }
    if (f.claim && !has(r[7], f.claim)) { return false; }
    if (f.article && !has(r[3], f.article) && !(r[8] && articleMatches(r[8], f.article))) { return false; }
    if (f.search) {
      var title = titles[r[8]] ? titles[r[8]][0] : "";
      var hay = [r[0], r[1], r[2], r[3] + ":" + r[4] + ":" + r[5], r[6], r[7], title, r[10], r[11]].join(" ");
      if (!has(hay, f.search)) { return false; }
    }
    return true;
  }
  function compare(a, b) {
    for (var i = 0; i < a.length; i += 1) {
      if (a[i] < b[i]) { return -1; }
      if (a[i] > b[i]) { return 1; }
    }
    return 0;
  }

  function cell(tr, text, className) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }
  function tag(parent, text) {
    var span = document.createElement("span");
    span.className = "tag";
    span.textContent = text;
    parent.appendChild(document.createTextNode(" "));
    parent.appendChild(span);
  }
  function renderRows() {
    if (!table) { return; }
    var pages = Math.max(1, Math.ceil(state.shown.length / PER_VIEW));
    state.page = Math.min(state.page, pages - 1);
    var start = state.page * PER_VIEW;
    var fragment = document.createDocumentFragment();
    state.shown.slice(start, start + PER_VIEW).forEach(function (r) {
      var tr = document.createElement("tr");
      tr.id = "f-" + r[12];
      tr.dataset.kind = r[1];
      if (r[7]) { tr.dataset.claims = r[7]; }
      if (r[8]) { tr.dataset.article = r[8]; }
      cell(tr, r[0], "sev-" + r[0]);
      var kind = cell(tr, "");
      var abbr = document.createElement("abbr");
      abbr.title = r[2];
      abbr.textContent = r[1];
      kind.appendChild(abbr);
      if (r[10]) { r[10].split(" ").forEach(function (t) { tag(kind, t); }); }
      var where = cell(tr, "", "loc");
      var place = r[3] + ":" + r[4] + ":" + r[5];
      if (r[9]) {
        var link = document.createElement("a");
        link.href = r[9];
        link.textContent = place;
        if (r[8] && titles[r[8]]) { link.title = titles[r[8]][0]; }
        where.appendChild(link);
      } else {
        where.textContent = place;
      }
      var finding = cell(tr, r[6]);
      if (r[13]) {
        var card = document.createElement("a");
        card.href = r[13];
        card.textContent = "claim " + r[7];
        finding.appendChild(document.createTextNode(" — "));
        finding.appendChild(card);
      }
      if (r[11]) {
        var note = document.createElement("span");
        note.className = "meta";
        note.textContent = (r[10].indexOf("waived") >= 0 ? "Waived: " : "") + r[11];
        finding.appendChild(document.createElement("br"));
        finding.appendChild(note);
      }
      fragment.appendChild(tr);
    });
    table.tBodies[0].replaceChildren(fragment);
    var status = document.getElementById("findings-status");
    var total = state.shown.length;
    status.textContent = total === 0 ? "No finding matches the filters." :
      "Findings " + (start + 1) + "–" + Math.min(total, start + PER_VIEW) + " of " + total +
      (total < rows.length ? " (filtered from " + rows.length + ")" : "") + " on this page.";
    document.getElementById("findings-previous").disabled = state.page === 0;
    document.getElementById("findings-next").disabled = state.page >= pages - 1;
  }
  function refreshRows(f) {
    var shown = rows.filter(function (r) { return rowMatches(r, f); });
    if (state.sort) {
      var key = KEYS[state.sort];
      var sign = state.descending ? -1 : 1;
      shown = shown.map(function (r, i) { return [key(r).concat([i]), r]; });
      shown.sort(function (a, b) { return sign * compare(a[0], b[0]); });
      shown = shown.map(function (pair) { return pair[1]; });
    }
    state.shown = shown;
    renderRows();
  }
  var applied = JSON.stringify(current());
  function apply() {
    var f = current();
    // A text field's change event comes on blur, as when its user clicks a row's link: the
    // rows must stay put then, or the click is lost.
    var signature = JSON.stringify(f);
    if (signature === applied) { return; }
    applied = signature;
    document.querySelectorAll("main [data-kind], main [data-claims], main [data-article]").forEach(function (el) {
      if (table && table.contains(el)) { return; }
      el.hidden = !showElement(el, f);
    });
    state.page = 0;
    refreshRows(f);
  }
  var pending = null;
  form.addEventListener("change", apply);
  form.addEventListener("input", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(apply, 150);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });

  if (table) {
    table.querySelectorAll("th[data-sort] button").forEach(function (button) {
      button.addEventListener("click", function () {
        var th = button.parentElement;
        var key = th.dataset.sort;
        state.descending = state.sort === key ? !state.descending : false;
        state.sort = key;
        table.querySelectorAll("th[data-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", state.descending ? "descending" : "ascending");
        state.page = 0;
        refreshRows(current());
      });
    });
    document.getElementById("findings-previous").addEventListener("click", function () {
      state.page -= 1;
      renderRows();
    });
    document.getElementById("findings-next").addEventListener("click", function () {
      state.page += 1;
      renderRows();
    });
    renderRows();
  }

  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) { return; }
    var target = document.getElementById(id);
    if (!target && table && id.indexOf("f-") === 0) {
      var at = state.shown.findIndex(function (r) { return "f-" + r[12] === id; });
      if (at >= 0) {
        state.page = Math.floor(at / PER_VIEW);
        renderRows();
        target = document.getElementById(id);
      }
    }
    if (target) {
      for (var el = target; el; el = el.parentElement) {
        if (el.tagName === "DETAILS") { el.open = true; }
        if (el.hidden) { el.hidden = false; }
      }
      document.querySelectorAll(".targeted").forEach(function (el) { el.classList.remove("targeted"); });
      target.classList.add("targeted");
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
}());
