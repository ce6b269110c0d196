/* 帮助中心: progressive enhancement only. Every feature works without this file. */
(function () {
  "use strict";

  // Feedback forms: submit in place and say thank you, instead of a page load.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("feedback") || !window.fetch) return;
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
    }
    var status = form.querySelector(".feedback__status");
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) { button.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.detail || "");
        form.querySelector("fieldset").hidden = true;
        status.textContent = form.dataset.thanks + " ";
        if (data.get("helpful") === "no") {
          var more = document.createElement("a");
          more.href = body.thanks_url;
          more.textContent = form.dataset.more;
          status.appendChild(more);
        }
      });
    }).catch(function () {
      buttons.forEach(function (button) { button.disabled = false; });
      status.textContent = form.dataset.error;
    });
  });

  // Copy-link buttons: copy the cause's full URL; without the clipboard the link still jumps.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.copy-link");
    if (!link || !navigator.clipboard) return;
    event.preventDefault();
    var url = location.origin + location.pathname + link.getAttribute("href");
    navigator.clipboard.writeText(url).then(function () {
      var note = link.parentNode.querySelector(".copy-link__status");
      if (!note) {
        note = document.createElement("span");
        note.className = "copy-link__status";
        note.setAttribute("role", "status");
        link.parentNode.appendChild(note);
      }
      note.textContent = link.dataset.copied;
      history.replaceState(null, "", link.getAttribute("href"));
    }, function () {
      location.hash = link.getAttribute("href");
    });
  });
})();
