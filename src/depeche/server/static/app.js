// Click a fact in a side list: scroll to its evidence in the text and flash it.
(function () {
  function flash(id) {
    var marks = document.querySelectorAll('[data-fact="' + CSS.escape(id) + '"]');
    if (!marks.length) return;
    marks[0].scrollIntoView({ behavior: "smooth", block: "center" });
    marks.forEach(function (m) {
      m.classList.remove("flash");
      void m.offsetWidth; // restart the animation
      m.classList.add("flash");
    });
  }
  document.addEventListener("click", function (ev) {
    var item = ev.target.closest(".fact-link");
    if (!item || ev.target.closest("a")) return;
    flash(item.getAttribute("data-target"));
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    var item = ev.target.closest && ev.target.closest(".fact-link");
    if (item) flash(item.getAttribute("data-target"));
  });
})();
