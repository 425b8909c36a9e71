// corpack site: a highlighted fact opens its row (click, Enter or Space); the tooltip shows the row meanwhile.
"use strict";
(function () {
  function go(event) {
    const mark = event.target.closest("mark[data-href]");
    if (!mark) return;
    if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    window.location.href = mark.dataset.href;
  }
  document.addEventListener("click", go);
  document.addEventListener("keydown", go);
})();
