// The counter's keyboard: Ctrl+Enter records; a document reader that types the zone and ends
// with Enter reads it at once. Everything works without this script, only with more keys.
(function () {
  "use strict";
  var form = document.getElementById("counter");
  if (!form) return;
  var mrz = document.getElementById("mrz");
  function submitWith(value) {
    var button = document.getElementById(value);
    if (button) { button.click(); }
  }
  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submitWith("record");
    }
  });
  if (mrz) {
    mrz.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || e.ctrlKey || e.metaKey || e.shiftKey) return;
      var lines = mrz.value.split(/\r?\n/).filter(function (l) { return l.trim() !== ""; });
      var full = (lines.length === 3 && lines[2].trim().length >= 30) ||
                 (lines.length === 2 && lines[1].trim().length >= 36);
      if (full) { e.preventDefault(); submitWith("read"); }
    });
  }
  var focus = document.querySelector("[data-focus]");
  if (focus) { focus.focus(); }
})();
