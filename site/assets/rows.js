// corpack site: tables whose rows the page holds once, as text, built while the page loads.
// A resource page's rows are in the page once, as text (<pre id="data">: a line a row, its cells
// separated by tabs, then, for a resource with a doc_id, the row's document page). This script, run while the page
// loads (not deferred, so a link to a row, #r<place>, finds it), builds the page's <table> from them: empty cells
// marked, numbers aligned, Chinese cells lang="zh", doc_id linked to its document and a fact's quote to its mark.
// With scripts off, the text is what the page shows. table.js then filters and sorts; it lists rows of the search
// index with window.corpackRow too.
"use strict";
const corpackCJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;
window.corpackRow = (function () {
  const cjk = corpackCJK;
  // values: the row's cells; link: its document page from documents/ ("" or undefined: none); names and numeric:
  // each column's name and whether it holds numbers.
  return function (values, link, names, numeric) {
    const tr = document.createElement("tr");
    values.forEach((value, col) => {
      const td = document.createElement("td");
      if (value === "") {
        td.className = "null";
      } else {
        if (numeric[col]) td.className = "n";
        else if (cjk.test(value)) td.lang = "zh";
        let href = "";
        if (link && names[col] === "doc_id") href = "../documents/" + link.split("#")[0].replace(/~[0-9]+\.html$/, ".html");
        else if (link && names[col] === "quote" && link.includes("#")) href = "../documents/" + link;
        if (href) {
          const a = document.createElement("a");
          a.href = href;
          a.textContent = value;
          td.appendChild(a);
        } else {
          td.textContent = value;
        }
      }
      tr.appendChild(td);
    });
    return tr;
  };
})();

(function () {
  const data = document.getElementById("data");
  const table = document.getElementById("rows");
  if (!data || !table) return;
  const heads = Array.from(table.tHead.rows[0].cells);
  const names = heads.map((th) => th.textContent);
  const numeric = heads.map((th) => th.dataset.type === "number");
  const links = table.hasAttribute("data-links");
  const lines = data.textContent.split("\n");
  lines.shift(); // the column names
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  const first = Number(table.dataset.first || 0);
  const fragment = document.createDocumentFragment();
  lines.forEach((line, i) => {
    const values = line.split("\t");
    const link = links ? values.pop() : undefined;
    const tr = window.corpackRow(values, link, names, numeric);
    tr.id = "r" + (first + i);
    fragment.appendChild(tr);
  });
  table.tBodies[0].appendChild(fragment);
  table.hidden = false;
  data.remove();
})();

// A document page's "facts in this document": per fact table a <pre> after it, a line a fact: its row's place in the
// resource, its key, its cells. Row k of the table with data-number n is <tr id="f<n>-<k>">, which the marks of
// the text name (aria-describedby, data-fact); its first cell links to the row in its resource page, its quote to
// the mark.
(function () {
  for (const table of document.querySelectorAll("table.facts[data-name]")) {
    const data = table.parentNode.nextElementSibling;
    if (!data || data.tagName !== "PRE") continue;
    const name = table.dataset.name;
    const number = table.dataset.number;
    const pageRows = Number(table.dataset.pageRows);
    const names = Array.from(table.tHead.rows[0].cells, (th) => th.textContent);
    const lines = data.textContent.split("\n");
    lines.shift(); // the column names
    if (lines.length && lines[lines.length - 1] === "") lines.pop();
    const fragment = document.createDocumentFragment();
    lines.forEach((line, k) => {
      const values = line.split("\t");
      const place = Number(values.shift());
      const tr = document.createElement("tr");
      tr.id = "f" + number + "-" + k;
      values.forEach((value, col) => {
        const td = document.createElement("td");
        if (col > 0 && corpackCJK.test(value)) td.lang = "zh";
        if (col === 0 || names[col] === "quote") {
          const a = document.createElement("a");
          const page = Math.floor(place / pageRows) + 1;
          a.href = col === 0 ? "../resources/" + name + (page === 1 ? "" : "-" + page) + ".html#r" + place : "#m" + number + "-" + k;
          a.textContent = value;
          td.appendChild(a);
        } else {
          td.textContent = value;
        }
        tr.appendChild(td);
      });
      fragment.appendChild(tr);
    });
    table.tBodies[0].appendChild(fragment);
    table.hidden = false;
    data.remove();
  }
})();
