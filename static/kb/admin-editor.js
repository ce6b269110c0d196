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

// A refused image upload: markdownx would type "Invalid response" into the text. Keep the text
// as it was and show the server's reason (kb/editor.py answers {"field": ["..."]}) above it.
document.addEventListener("markdownx.fileUploadError", function (event) {
  var parent = event.target;
  var editor = parent.querySelector(".markdownx-editor");
  if (!editor) return;
  var text = editor.value, start = editor.selectionStart, end = editor.selectionEnd;
  var errors = (event.detail && event.detail[0]) || {};
  var messages = Object.keys(errors).map(function (key) { return [].concat(errors[key])[0]; });
  var note = parent.querySelector(".upload-error");
  if (!note) {
    note = document.createElement("p");
    note.className = "errornote upload-error";
    note.setAttribute("role", "alert");
    parent.insertBefore(note, parent.firstChild);
  }
  note.textContent = messages[0] || "图片上传失败，请重试。";
  setTimeout(function () { // after markdownx has inserted its text
    editor.value = text;
    editor.setSelectionRange(start, end);
    editor.dispatchEvent(new Event("input")); // and the preview with it
  }, 0);
}, true);
document.addEventListener("markdownx.fileUploadEnd", function (event) {
  var note = event.target.querySelector(".upload-error");
  if (note) note.remove();
}, true);
