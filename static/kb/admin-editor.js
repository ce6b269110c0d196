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
