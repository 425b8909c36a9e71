// corpack site: a highlighted fact shows its row while hovered or focused, and opens it (click, Enter or Space).
// A mark holds only its key (id="m<table>-<rank>"; data-fact="<key>" on the fragments after the first); this
// script gives it data-fact, tabindex, role and aria-describedby. Its row is in the page once, as <tr id="f<key>">
// of the "facts in this document" tables (built by rows.js): the tooltip is made from that row's cells and its
// table's header, and the row's first link is where the mark leads.
"use strict";
(function () {
  const tip = document.createElement("div");
  tip.id = "fact-tip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  let shownFor = null;

  function markOf(event) {
    return event.target instanceof Element ? event.target.closest("mark[data-fact]") : null;
  }

  function rowOf(mark) {
    return document.getElementById("f" + mark.dataset.fact);
  }

  function show(mark) {
    const row = rowOf(mark);
    if (!row) return;
    const table = row.closest("table");
    const names = Array.from(table.tHead.rows[0].cells, (th) => th.textContent);
    const lines = [];
    const title = document.createElement("strong");
    title.textContent = (table.dataset.name || "") + " " + row.cells[0].textContent;
    lines.push(title);
    for (let i = 1; i < row.cells.length; i++) {
      const value = row.cells[i].textContent;
      if (value === "") continue;
      const line = document.createElement("span");
      line.textContent = names[i] + ": " + value;
      lines.push(line);
    }
    tip.replaceChildren(...lines);
    if (!tip.isConnected) document.body.append(tip);
    tip.hidden = false;
    const box = mark.getBoundingClientRect();
    const width = Math.min(tip.offsetWidth, document.documentElement.clientWidth - 16);
    tip.style.left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8)) + window.scrollX + "px";
    tip.style.top = box.bottom + window.scrollY + 6 + "px";
    shownFor = mark.dataset.fact;
  }

  function hide() {
    tip.hidden = true;
    shownFor = null;
  }

  function over(event) {
    const mark = markOf(event);
    if (mark && mark.dataset.fact !== shownFor) show(mark);
    else if (!mark && event.type === "mouseover" && document.activeElement?.dataset?.fact !== shownFor) hide();
  }

  function go(event) {
    const mark = markOf(event);
    if (!mark) {
      if (event.type === "keydown" && event.key === "Escape") hide();
      return;
    }
    if (event.type === "keydown" && event.key === "Escape") return hide();
    if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
    const link = rowOf(mark)?.querySelector("a[href]");
    if (!link) return;
    event.preventDefault();
    window.location.href = link.href;
  }

  // A mark's first fragment holds its key in its id (m<key>): it becomes a control named by its row.
  for (const mark of document.querySelectorAll("#text mark[id^='m']")) {
    const key = mark.id.slice(1);
    mark.dataset.fact = key;
    mark.tabIndex = 0;
    mark.setAttribute("role", "link");
    mark.setAttribute("aria-describedby", "f" + key);
  }

  document.addEventListener("mouseover", over);
  document.addEventListener("focusin", over);
  document.addEventListener("focusout", (event) => { if (markOf(event)) hide(); });
  document.addEventListener("click", go);
  document.addEventListener("keydown", go);
})();
