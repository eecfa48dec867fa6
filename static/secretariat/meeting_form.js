/* The meeting form's participants grid: role and mode selects appear when a party is ticked,
   "copy the participants of the body's previous meeting", and, on a new meeting, the co-chairs
   of the chosen body ticked from its current terms. Data from the page's #grid-data. */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  const grid = document.querySelector(".participant-grid");
  const source = document.getElementById("grid-data");
  if (!grid || !source) return;
  const data = JSON.parse(source.textContent);
  const wrap = grid.closest("[data-adding]");
  const adding = wrap && wrap.dataset.adding === "1";
  const body = document.getElementById("id_body");
  const copy = document.getElementById("grid-copy");
  let autoTicked = [];

  function addSelect(row, kind, value) {
    const cell = row.cells[kind === "role" ? 1 : 2];
    let select = cell.querySelector("select");
    if (!select) {
      select = document.getElementById("grid-" + kind).content.firstElementChild.cloneNode(true);
      select.name = "p-" + row.dataset.key + "-" + kind;
      select.setAttribute("aria-label", kind === "role" ? "Role" : "Mode");
      select.value = kind === "role" ? (row.dataset.role || "member") : "";
      cell.appendChild(select);
    }
    if (value !== undefined && value !== null) select.value = value;
  }

  function tick(row, role, mode) {
    row.querySelector('input[name^="p-"]').checked = true;
    addSelect(row, "role", role);
    addSelect(row, "mode", mode);
  }

  function counts() {
    grid.querySelectorAll("tbody.grid-group").forEach(function (group) {
      const boxes = group.querySelectorAll('input[name^="p-"]');
      const ticked = Array.from(boxes).filter(function (box) { return box.checked; }).length;
      group.querySelector(".grid-count").textContent = "(" + ticked + " of " + boxes.length + " ticked)";
    });
  }

  grid.addEventListener("change", function (event) {
    const box = event.target;
    if (box.type === "checkbox" && box.name.startsWith("p-")) {
      if (box.checked) tick(box.closest("tr"));
      counts();
    }
  });

  function entry() { return body ? data[body.value] : undefined; }

  function refresh() {
    const current = entry();
    copy.disabled = !(current && current.previous);
    copy.textContent = current && current.previous
      ? "Copy the participants of " + current.previous
      : "Copy the participants of the body's previous meeting (choose a body with a meeting)";
  }

  copy.addEventListener("click", function () {
    const current = entry();
    if (!current) return;
    Object.entries(current.participants).forEach(function ([key, roleAndMode]) {
      const row = grid.querySelector('tr[data-key="' + key + '"]');
      if (row) tick(row, roleAndMode[0], roleAndMode[1]);
    });
    counts();
  });

  function prefillCochairs() {
    if (!adding) return;
    autoTicked.forEach(function (box) { box.checked = false; });
    const boxes = Array.from(grid.querySelectorAll('input[name^="c-"]'));
    if (boxes.some(function (box) { return box.checked; })) { autoTicked = []; return; }
    const current = entry();
    autoTicked = (current ? current.cochairs : []).map(function (key) {
      return grid.querySelector('input[name="c-' + key + '"]');
    }).filter(Boolean);
    autoTicked.forEach(function (box) { box.checked = true; });
  }

  grid.addEventListener("change", function (event) {
    if (event.target.name && event.target.name.startsWith("c-")) autoTicked = [];
  });
  if (body) body.addEventListener("change", function () { refresh(); prefillCochairs(); });
  refresh();
  prefillCochairs();
});
