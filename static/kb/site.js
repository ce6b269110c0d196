/* 帮助中心: progressive enhancement only. Every feature works without this file. */
(function () {
  "use strict";

  function link(text, href) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  // Feedback forms: submit in place, mark the chosen button, keep both buttons so a mis-tap
  // can be changed (a second vote replaces the first), and after a "no" offer the next steps.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("feedback") || !window.fetch) return;
    event.preventDefault();
    var chosen = event.submitter;
    var data = new FormData(form);
    if (chosen && chosen.name) data.append(chosen.name, chosen.value);
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
        buttons.forEach(function (button) {
          button.setAttribute("aria-pressed", button === chosen ? "true" : "false");
        });
        status.textContent = "";
        var thanks = document.createElement("p");
        thanks.textContent = form.dataset.thanks;
        status.appendChild(thanks);
        if (data.get("helpful") === "no") {
          var sorry = document.createElement("p");
          sorry.textContent = form.dataset.sorry;
          var steps = document.createElement("ul");
          steps.className = "next-steps";
          (body.next_steps || []).forEach(function (step) {
            var item = document.createElement("li");
            item.appendChild(link(step.text, step.url));
            steps.appendChild(item);
          });
          var more = document.createElement("li");
          more.appendChild(link(form.dataset.more, body.thanks_url));
          steps.appendChild(more);
          status.appendChild(sorry);
          status.appendChild(steps);
        }
      });
    }).catch(function () {
      status.textContent = form.dataset.error;
    }).then(function () {
      buttons.forEach(function (button) { button.disabled = false; });
    });
  });

  // Copy-link: copy the cause's own page (its share card is about that cause). Without the
  // clipboard the link still opens that page; when the browser refuses, say how to copy by hand.
  document.addEventListener("click", function (event) {
    var anchor = event.target.closest && event.target.closest("a.copy-link");
    if (!anchor || !navigator.clipboard) return;
    event.preventDefault();
    var url = anchor.href;
    var note = anchor.parentNode.querySelector(".copy-link__status");
    if (!note) {
      note = document.createElement("span");
      note.className = "copy-link__status";
      note.setAttribute("role", "status");
      anchor.parentNode.appendChild(note);
    }
    navigator.clipboard.writeText(url).then(function () {
      note.textContent = anchor.dataset.copied;
    }, function () {
      note.textContent = anchor.dataset.refused + " ";
      note.appendChild(link(url, url));
    });
  });

  // The script switch keeps the place in the page (#cause-3): without this file it opens the
  // same page at its top.
  document.addEventListener("click", function (event) {
    var anchor = event.target.closest && event.target.closest("a.variant-switch");
    if (!anchor || !location.hash) return;
    anchor.href = anchor.href.split("#")[0] + location.hash;
  });

  // On a phone the keyboard covers the lower half: bring the search field (and the room for
  // its suggestions) to the top when it is focused.
  document.querySelectorAll("input[type=search]").forEach(function (input) {
    input.addEventListener("focus", function () {
      if (!window.matchMedia("(max-width: 47.99rem)").matches) return;
      setTimeout(function () { input.scrollIntoView({ block: "start", behavior: "smooth" }); }, 300);
    });
  });
})();
