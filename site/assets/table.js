// corpack site: filter and sort the table of a resource page (rows of this page only). No network, no library.
"use strict";
(function () {
  const table = document.getElementById("rows");
  const input = document.getElementById("filter");
  const status = document.getElementById("shown");
  if (!table || !input || !status) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const texts = rows.map((row) => row.textContent.toLowerCase());
  function filter() {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    rows.forEach((row, i) => {
      const keep = words.every((word) => texts[i].includes(word));
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    status.textContent = shown + " of " + rows.length + " rows shown";
  }
  input.addEventListener("input", filter);
  const heads = Array.from(table.tHead.rows[0].cells);
  heads.forEach((th, col) => {
    const button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach((other) => other.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const numeric = th.dataset.type === "number";
      const value = (row) => {
        const c = row.cells[col];
        const v = c.dataset.v !== undefined ? c.dataset.v : c.textContent;
        return numeric ? (v === "" ? -Infinity : Number(v)) : v;
      };
      const order = rows.map((row, i) => [value(row), i]);
      order.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]) * (ascending ? 1 : -1));
      order.forEach(([, i]) => body.appendChild(rows[i]));
    });
  });
  if (input.value) filter();
})();
