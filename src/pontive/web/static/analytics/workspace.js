/* The analysis workspace: Ctrl+Enter (or Cmd+Enter) runs the query; a table's or a column's
   name in the list becomes a button that puts the name into the editor at the cursor.
   The page works without this script (the form posts, the names stay readable). */
(function () {
  "use strict";
  var editor = document.getElementById("ws-sql");
  var run = document.getElementById("ws-run");
  if (!editor || !run) {
    return;
  }
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run.click();
    }
  });

  function insert(text) {
    var start = editor.selectionStart;
    var end = editor.selectionEnd;
    var before = editor.value.slice(0, start);
    var spacer = before && !/[\s(,.]$/.test(before) ? " " : "";
    editor.value = before + spacer + text + editor.value.slice(end);
    var caret = start + spacer.length + text.length;
    editor.focus();
    editor.setSelectionRange(caret, caret);
  }

  var label = editor.getAttribute("data-insert-label") || "";
  document.querySelectorAll("code.ws-name[data-insert]").forEach(function (code) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "ws-insert";
    button.textContent = code.textContent;
    button.setAttribute("aria-label", label.replace("{name}", code.textContent));
    button.addEventListener("click", function (event) {
      event.preventDefault();  // inside <summary>: insert, do not fold the list
      insert(code.getAttribute("data-insert"));
    });
    code.replaceWith(button);
  });
})();
