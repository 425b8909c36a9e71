// corpack site: filter and sort the table of a resource page. No network, no library.
// A resource of one page is filtered and sorted in place. A resource of several pages has a search index:
// scripts of rows (search/<name>-<n>.js, each calling corpackRows) added one after another when a filter or a
// sort needs them; matches are listed as they are found, each linking to its row in its own page.
"use strict";
(function () {
  const table = document.getElementById("rows");
  const input = document.getElementById("filter");
  const status = document.getElementById("shown");
  if (!table || !input || !status) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const heads = Array.from(table.tHead.rows[0].cells);
  const names = heads.map((th) => th.textContent);
  const numeric = heads.map((th) => th.dataset.type === "number");
  const links = table.hasAttribute("data-links"); // each row of the index ends with its document page
  const chunks = Number(table.dataset.chunks || 0);
  const SHOW = 1000;
  let sortColumn = -1;
  let ascending = true;

  function compare(a, b, col) {
    if (numeric[col]) {
      const x = a === "" || a === null ? -Infinity : Number(a);
      const y = b === "" || b === null ? -Infinity : Number(b);
      return x - y;
    }
    a = a === null ? "" : a;
    b = b === null ? "" : b;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function markSorted(col) {
    heads.forEach((other) => other.removeAttribute("aria-sort"));
    if (col >= 0) heads[col].setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  // A click on a column's button sorts by it (again: the other way), then calls sorted(column).
  function onSort(sorted) {
    heads.forEach((th, col) => {
      const button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", () => {
        ascending = !(sortColumn === col && ascending);
        sortColumn = col;
        markSorted(col);
        sorted(col);
      });
    });
  }
  function words() {
    return input.value.toLowerCase().split(/\s+/).filter(Boolean);
  }

  if (!chunks) {
    // One page: every row is here.
    const texts = rows.map((row) => row.textContent.toLowerCase());
    const filter = () => {
      const wanted = words();
      let shown = 0;
      rows.forEach((row, i) => {
        const keep = wanted.every((word) => texts[i].includes(word));
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      status.textContent = shown + " of " + rows.length + " rows shown";
    };
    input.addEventListener("input", filter);
    onSort((col) => {
      const value = (row) => {
        const c = row.cells[col];
        return c.dataset.v !== undefined ? c.dataset.v : c.textContent;
      };
      const order = rows.map((row, i) => [value(row), i]);
      order.sort((a, b) => (compare(a[0], b[0], col) || a[1] - b[1]) * (ascending ? 1 : -1));
      order.forEach(([, i]) => body.appendChild(rows[i]));
    });
    if (input.value) filter();
    return;
  }

  // Several pages: the whole resource, from its index.
  const name = table.dataset.resource;
  const total = Number(table.dataset.rows);
  const pageRows = Number(table.dataset.pageRows);
  const chunkRows = Number(table.dataset.chunkRows);
  const base = document.querySelector('script[src$="assets/table.js"]').getAttribute("src").replace(/assets\/table\.js$/, "");
  const loaded = [];
  const lowered = [];
  const waiting = {};
  const ROW = "\n";
  const CELL = "\t";
  window.corpackRows = function (resource, number, text) {
    if (resource !== name) return;
    loaded[number] = text.split(ROW);
    loaded[number].pop();
    if (waiting[number]) waiting[number].forEach((done) => done());
  };
  function load(number) {
    if (loaded[number]) return Promise.resolve(loaded[number]);
    return new Promise((resolve, reject) => {
      if (!waiting[number]) {
        waiting[number] = [];
        const script = document.createElement("script");
        script.src = base + "search/" + encodeURIComponent(name) + "-" + number + ".js";
        script.onerror = () => reject(new Error("cannot load " + script.src));
        document.head.appendChild(script);
      }
      waiting[number].push(() => resolve(loaded[number]));
    });
  }
  function lower(number) {
    if (!lowered[number]) {
      lowered[number] = loaded[number].map((row) => (links ? row.slice(0, row.lastIndexOf(CELL)) : row).toLowerCase());
    }
    return lowered[number];
  }
  function cells(number, i) {
    return loaded[number][i].split(CELL);
  }

  const found = document.createElement("tbody");
  found.id = "found";
  found.hidden = true;
  table.appendChild(found);
  const more = document.createElement("button");
  more.type = "button";
  more.id = "more";
  more.hidden = true;
  table.parentNode.after(more);
  const caption = table.caption;
  const pageCaption = caption ? caption.textContent : "";
  let matches = [];
  let listed = 0;
  let run = 0;

  // A row of the index as a <tr> (as rows.js builds a page's), its first cell linking to the row in its page.
  function rowOf([number, i]) {
    const values = cells(number, i);
    const link = links ? values.pop() : undefined;
    const index = number * chunkRows + i;
    const page = Math.floor(index / pageRows) + 1;
    const tr = window.corpackRow(values, link, names, numeric);
    const a = document.createElement("a");
    a.href = name + (page === 1 ? "" : "-" + page) + ".html#r" + index;
    a.textContent = values[0] === "" ? "(row)" : values[0];
    a.title = "Open this row in page " + page;
    tr.cells[0].className = numeric[0] ? "n" : "";
    tr.cells[0].replaceChildren(a);
    return tr;
  }
  function list(upTo) {
    const end = Math.min(upTo, matches.length);
    const fragment = document.createDocumentFragment();
    for (; listed < end; listed += 1) fragment.appendChild(rowOf(matches[listed]));
    found.appendChild(fragment);
    more.hidden = listed >= matches.length;
    more.textContent = "Show " + Math.min(SHOW, matches.length - listed) + " more";
  }
  function say(scanned, done) {
    const what = sortColumn >= 0 ? "; sorted by " + heads[sortColumn].textContent + (ascending ? " ascending" : " descending") : "";
    const where = done ? "" : " (searched " + scanned + " of " + total + " rows…)";
    status.textContent = matches.length + " of " + total + " rows match" + what + where +
      (listed < matches.length && done ? "; the first " + listed + " are listed" : "");
  }
  function pageView() {
    run += 1;
    found.hidden = true;
    found.replaceChildren();
    more.hidden = true;
    body.hidden = false;
    if (caption) caption.textContent = pageCaption;
    sortColumn = -1;
    markSorted(-1);
    status.textContent = rows.length + " of " + rows.length + " rows shown";
  }
  async function search() {
    const wanted = words();
    if (!wanted.length && sortColumn < 0) return pageView();
    const mine = ++run;
    matches = [];
    listed = 0;
    found.replaceChildren();
    body.hidden = true;
    found.hidden = false;
    if (caption) caption.textContent = name + ": rows of every page, from the search index (the first column opens a row in its page)";
    const sorting = sortColumn >= 0;
    let scanned = 0;
    for (let number = 0; number < chunks; number += 1) {
      let data;
      try {
        data = await load(number);
      } catch (error) {
        status.textContent = "The search index could not be read (" + error.message + "); filtering this page only.";
        return;
      }
      if (mine !== run) return;
      const texts = wanted.length ? lower(number) : null;
      for (let i = 0; i < data.length; i += 1) {
        if (!texts || wanted.every((word) => texts[i].includes(word))) matches.push([number, i]);
      }
      scanned += data.length;
      if (!sorting) list(SHOW);
      say(scanned, false);
    }
    if (sorting) {
      const col = sortColumn;
      const sign = ascending ? 1 : -1;
      const keys = matches.map(([number, i]) => {
        const value = cells(number, i)[col];
        return numeric[sortColumn] ? (value === "" ? -Infinity : Number(value)) : value;
      });
      const order = matches.map((_, k) => k);
      order.sort((a, b) => sign * (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0) || a - b);
      matches = order.map((k) => matches[k]);
      list(SHOW);
    }
    say(scanned, true);
  }
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  more.addEventListener("click", () => {
    list(listed + SHOW);
    say(total, true);
  });
  onSort(search);
  if (input.value) search();
})();
