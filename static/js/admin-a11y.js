/* The admin's autocomplete boxes (select2) get the name of the field they stand for.
   select2 names its combobox after the chosen value only, so an empty box, or one in a tabular
   inline row (which has column headings, not labels), has no accessible name. The name comes
   from the field's <label>, or from the aria-label the server gives each inline row's fields. */
(function () {
  "use strict";

  function nameOf(select) {
    if (select.getAttribute("aria-label")) {
      return select.getAttribute("aria-label");
    }
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function mend(root) {
    (root || document).querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.nextElementSibling;
      var combobox = box && box.querySelector('.select2-selection[role="combobox"]');
      var name = nameOf(select);
      if (!combobox || !name) {
        return;
      }
      combobox.setAttribute("aria-label", name);
      combobox.removeAttribute("aria-labelledby");
      var rendered = combobox.querySelector(".select2-selection__rendered");
      if (rendered && rendered.getAttribute("role") === "textbox") {
        rendered.removeAttribute("role");  // its text (the chosen value) is read as the combobox's value
        rendered.removeAttribute("aria-readonly");
      }
    });
  }

  // Django's autocomplete.js builds the boxes when jQuery is ready, and again for each inline row
  // added; select2 rebuilds a box's markup when its value changes: mend whenever a box appears.
  var pending = false;
  function soon() {
    if (!pending) {
      pending = true;
      window.setTimeout(function () {
        pending = false;
        mend();
      }, 0);
    }
  }

  function watch() {
    mend();
    new MutationObserver(function (changes) {
      for (var i = 0; i < changes.length; i++) {
        if (changes[i].addedNodes.length) {
          soon();
          return;
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
