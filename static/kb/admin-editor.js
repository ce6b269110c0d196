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
