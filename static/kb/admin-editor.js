// The Markdown preview for causes added with "添加另一个": markdownx sets up its editors once,
// when the page loads, and a new inline row is a copy of a template already marked as set up.
// Unmark the copy and run markdownx's script again; it sets up only what is unmarked.
"use strict";
document.addEventListener("formset:added", function (event) {
  var editors = event.target.querySelectorAll(".markdownx-editor[data-markdownx-init]");
  var original = document.querySelector('script[src*="markdownx/js/markdownx"]');
  if (!editors.length || !original) return;
  editors.forEach(function (editor) { editor.removeAttribute("data-markdownx-init"); });
  var script = document.createElement("script");
  script.src = original.src;
  document.body.appendChild(script);
});

// The slug follows the title (as pinyin, from the server) until the editor types a slug.
document.addEventListener("DOMContentLoaded", function () {
  var title = document.getElementById("id_title");
  var slug = document.getElementById("id_slug");
  if (!title || !slug || !slug.dataset.suggestUrl) return;
  var touched = slug.value !== "";
  var timer = null;
  slug.addEventListener("input", function () { touched = slug.value !== ""; });
  title.addEventListener("input", function () {
    if (touched) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var query = new URLSearchParams({ title: title.value, article: slug.dataset.article || "" });
      fetch(slug.dataset.suggestUrl + "?" + query, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && !touched) slug.value = data.slug; });
    }, 300);
  });
});

// Images: a button beside each Markdown box as well as drag-and-drop and paste, all through
// one upload that asks for the alt text first (required), puts the image on a line of its own,
// and shows a refusal's reason (kb/editor.py answers {"field": ["..."]}) above the box: the
// text is never touched by an error. markdownx's own upload would type "Invalid response" into
// it, so its drop and paste handlers never see a file (this listener runs first, capturing).
var IMAGE_TYPES = "image/png,image/jpeg,image/webp,image/gif";

function editorParent(editor) { return editor.closest(".markdownx") || editor.parentNode; }

function showUploadError(editor, message) {
  var parent = editorParent(editor);
  var note = parent.querySelector(".upload-error");
  if (!note) {
    note = document.createElement("p");
    note.className = "errornote upload-error";
    note.setAttribute("role", "alert");
    parent.insertBefore(note, parent.firstChild);
  }
  note.textContent = message;
}

function clearUploadError(editor) {
  var note = editorParent(editor).querySelector(".upload-error");
  if (note) note.remove();
}

function askAltText() {
  var question = "图片的替代文字（必填）：用一句话说明图片的内容，读屏软件会读出它，图片打不开时也会显示。";
  for (;;) {
    var alt = window.prompt(question, "");
    if (alt === null) return null; // cancelled: nothing is uploaded
    alt = alt.trim();
    if (alt) return alt.replace(/[\[\]\\]/g, "\\$&");
    question = "替代文字不能为空。请用一句话说明图片的内容：";
  }
}

function insertOnOwnLine(editor, markdown) {
  var before = editor.value.slice(0, editor.selectionStart);
  var after = editor.value.slice(editor.selectionEnd);
  var lead = !before || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
  var tail = !after || /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
  editor.value = before + lead + markdown + tail + after;
  var caret = (before + lead + markdown).length;
  editor.setSelectionRange(caret, caret);
  editor.dispatchEvent(new Event("input")); // the preview follows
}

function csrfToken() {
  var field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

function uploadImage(editor, file) {
  var alt = askAltText();
  if (alt === null) return;
  var body = new FormData();
  body.append("image", file);
  body.append("csrfmiddlewaretoken", csrfToken());
  editor.setAttribute("aria-busy", "true");
  fetch(editor.getAttribute("data-markdownx-upload-urls-path"), {
    method: "POST", body: body, credentials: "same-origin",
    headers: { "X-Requested-With": "XMLHttpRequest" }, // markdownx answers JSON only then
  })
    .then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    })
    .then(function (answer) {
      var url = answer.ok && /\]\((.+)\)$/.exec(answer.data.image_code || "");
      if (url) {
        clearUploadError(editor);
        insertOnOwnLine(editor, "![" + alt + "](" + url[1] + ")");
        return;
      }
      var reasons = Object.keys(answer.data || {}).map(function (key) {
        return [].concat(answer.data[key])[0];
      });
      showUploadError(editor, reasons[0] || "图片上传失败，请重试。");
    })
    .catch(function () { showUploadError(editor, "图片上传失败，请检查网络后重试。"); })
    .then(function () { editor.removeAttribute("aria-busy"); });
}

function filesOf(event) {
  var transfer = event.dataTransfer || event.clipboardData;
  return transfer && transfer.files ? Array.prototype.slice.call(transfer.files) : [];
}

["drop", "paste"].forEach(function (type) {
  document.addEventListener(type, function (event) {
    var editor = event.target.closest && event.target.closest(".markdownx-editor");
    var files = filesOf(event);
    if (!editor || !files.length) return;
    event.preventDefault();
    event.stopPropagation();
    files.forEach(function (file) { uploadImage(editor, file); });
  }, true);
});

function addImageButtons(root) {
  root.querySelectorAll(".markdownx-editor").forEach(function (editor) {
    if (editor.id.indexOf("__prefix__") !== -1 || editor.dataset.kbImageButton) return;
    editor.dataset.kbImageButton = "1";
    var picker = document.createElement("input");
    picker.type = "file";
    picker.accept = IMAGE_TYPES;
    picker.hidden = true;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button kb-image-button";
    button.textContent = "插入图片";
    var label = document.querySelector('label[for="' + editor.id + '"]');
    if (label) button.setAttribute("aria-label", "插入图片：" + label.textContent.replace(/[:：]\s*$/, ""));
    button.addEventListener("click", function () { picker.click(); });
    picker.addEventListener("change", function () {
      if (picker.files.length) uploadImage(editor, picker.files[0]);
      picker.value = "";
    });
    editor.parentNode.insertBefore(button, editor);
    editor.parentNode.insertBefore(picker, editor);
  });
}
document.addEventListener("DOMContentLoaded", function () { addImageButtons(document); });
document.addEventListener("formset:added", function (event) { addImageButtons(event.target); });

// Order of causes, remedies and advice: 上移/下移 buttons beside each row's 序号 (keyboard and
// mouse alike) move it past its neighbour, and its 拖动 handle drags it (mouse, pen or touch,
// through Pointer Events) among the rows of its own table: a remedy stays within its cause.
// After a move the rows are numbered 1..n in their new order and a live region says where the
// row went. Without this script staff type the 序号 themselves; the server keeps the rules
// (kb/admin/inlines.py): distinct numbers, 1 to 999, blank = next. Only classes change the
// look while dragging (CSP: no inline styles).
function ownPosition(row) {
  return Array.prototype.find.call(row.querySelectorAll('input[name$="-position"]'), function (box) {
    return box.closest(".djn-inline-form") === row;
  });
}

function siblingRows(row) {
  return Array.prototype.filter.call(row.parentNode.children, function (other) {
    return other.classList.contains("djn-inline-form") && !other.classList.contains("djn-empty-form")
      && ownPosition(other);
  });
}

// The live region is on the page before anything is said in it: screen readers announce
// changes to a region they already know, not one added with its text.
function orderStatus() {
  var region = document.getElementById("kb-order-status");
  if (!region) {
    region = document.createElement("p");
    region.id = "kb-order-status";
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    document.body.appendChild(region);
  }
  return region;
}

function announce(text) { orderStatus().textContent = text; }

function renumber(row) {
  var rows = siblingRows(row);
  rows.forEach(function (other, index) { ownPosition(other).value = index + 1; });
  announce("已移到第 " + (rows.indexOf(row) + 1) + " 行，序号 " + ownPosition(row).value + "。");
}

function moveRow(row, step) {
  var rows = siblingRows(row);
  var other = rows[rows.indexOf(row) + step];
  if (!other) return;
  if (step < 0) other.before(row); else other.after(row);
  renumber(row);
}

// Where the pointer is, the dragged row goes before the first other row whose middle is
// below it (after the last if none): stable however tall the rows are.
function dragTo(row, y) {
  var others = siblingRows(row).filter(function (other) { return other !== row; });
  var next = others.find(function (other) {
    var box = other.getBoundingClientRect();
    return y < box.top + box.height / 2;
  });
  if (next && next !== row.nextElementSibling) next.before(row);
  else if (!next && others.length && row !== others[others.length - 1].nextElementSibling) {
    others[others.length - 1].after(row);
  }
}

var EDGE = 64; // px from the window's edge within which a drag scrolls the page

// How far to scroll per frame for a pointer at y: faster nearer the edge, none away from it.
function edgeSpeed(y) {
  if (y < EDGE) return -Math.ceil((EDGE - Math.max(y, 0)) / 3);
  var bottom = window.innerHeight - EDGE;
  return y > bottom ? Math.ceil((Math.min(y, window.innerHeight) - bottom) / 3) : 0;
}

function makeDragHandle(row) {
  var handle = document.createElement("span");
  handle.className = "kb-order__drag";
  handle.textContent = "⇅ 拖动";
  handle.title = "按住拖动，调整这一行的顺序";
  handle.setAttribute("aria-hidden", "true"); // keyboard and screen readers: 上移/下移
  // A tap near a form control lands on the control (Chrome's touch adjustment) unless this
  // takes clicks too; a click on the handle itself does nothing.
  handle.addEventListener("click", function (event) { event.preventDefault(); });
  handle.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) return;
    event.preventDefault();
    var startIndex = siblingRows(row).indexOf(row);
    var lastY = event.clientY, scrolling = null;
    row.classList.add("kb-dragging");
    // Held near the window's edge, the page keeps scrolling (a finger at rest sends no
    // events) and the row follows: long articles are dragged across screens.
    function scroll() {
      var speed = edgeSpeed(lastY);
      if (!speed) { scrolling = null; return; }
      window.scrollBy(0, speed);
      dragTo(row, lastY);
      scrolling = window.requestAnimationFrame(scroll);
    }
    // Followed on the document, not by pointer capture: moving the row in the page moves the
    // handle too, which loses the capture.
    function follow(move) {
      if (move.pointerId !== event.pointerId) return;
      lastY = move.clientY;
      dragTo(row, lastY);
      if (scrolling === null && edgeSpeed(lastY)) scrolling = window.requestAnimationFrame(scroll);
    }
    function drop(end) {
      if (end.pointerId !== event.pointerId) return;
      document.removeEventListener("pointermove", follow);
      document.removeEventListener("pointerup", drop);
      document.removeEventListener("pointercancel", drop);
      if (scrolling !== null) window.cancelAnimationFrame(scrolling);
      row.classList.remove("kb-dragging");
      if (siblingRows(row).indexOf(row) !== startIndex) renumber(row);
    }
    document.addEventListener("pointermove", follow);
    document.addEventListener("pointerup", drop);
    document.addEventListener("pointercancel", drop);
  });
  return handle;
}

function addOrderButtons(root) {
  root.querySelectorAll(".djn-inline-form").forEach(function (row) {
    var box = ownPosition(row);
    if (!box || row.classList.contains("djn-empty-form") || box.dataset.kbOrder) return;
    box.dataset.kbOrder = "1";
    orderStatus();
    var tools = document.createElement("span");
    tools.className = "kb-order";
    tools.appendChild(makeDragHandle(row));
    [["上移", -1], ["下移", 1]].forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button kb-order__move";
      button.textContent = choice[0];
      button.setAttribute("aria-label", choice[0] + "这一行");
      button.addEventListener("click", function () { moveRow(row, choice[1]); button.focus(); });
      tools.appendChild(button);
    });
    box.after(tools);
  });
}

function numberNewRow(row) {
  var box = ownPosition(row);
  if (!box || box.value) return;
  var highest = siblingRows(row).reduce(function (most, other) {
    return Math.max(most, parseInt(ownPosition(other).value, 10) || 0);
  }, 0);
  box.value = highest + 1;
}

document.addEventListener("DOMContentLoaded", function () { addOrderButtons(document); });
document.addEventListener("formset:added", function (event) {
  var row = event.target.closest(".djn-inline-form") || event.target;
  numberNewRow(row);
  addOrderButtons(row);
});
