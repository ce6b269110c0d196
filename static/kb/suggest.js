/* As-you-type suggestions for the search box. Progressive enhancement: without this script the
   form submits to /search/ as usual. ARIA combobox pattern (WAI-ARIA APG, "list autocomplete"). */
(function () {
  "use strict";
  var DELAY = 150;

  function enhance(input) {
    var endpoint = input.getAttribute("data-suggest");
    var list = document.createElement("ul");
    var timer = null;
    var controller = null;
    var active = -1;
    list.id = input.id + "-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索建议");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function select(index) {
      var items = list.children;
      if (!items.length) return;
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    // The title with the typed text marked (<mark>) where it appears as typed.
    function marked(title, q) {
      var span = document.createElement("span");
      span.className = "suggestions__title";
      var at = q ? title.toLowerCase().indexOf(q.toLowerCase()) : -1;
      if (at < 0) {
        span.textContent = title;
        return span;
      }
      var mark = document.createElement("mark");
      mark.textContent = title.slice(at, at + q.length);
      span.appendChild(document.createTextNode(title.slice(0, at)));
      span.appendChild(mark);
      span.appendChild(document.createTextNode(title.slice(at + q.length)));
      return span;
    }

    function show(suggestions, q) {
      list.textContent = "";
      active = -1;
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        var small = document.createElement("small");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-url", s.url);
        li.appendChild(marked(s.title, q));
        if (s.type === "cause") {
          small.textContent = " · " + s.article;
          li.appendChild(small);
        }
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.href = s.url;
        });
        list.appendChild(li);
      });
      list.hidden = suggestions.length === 0;
      input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      if (controller) controller.abort();
      controller = new AbortController();
      var separator = endpoint.indexOf("?") < 0 ? "?" : "&";
      fetch(endpoint + separator + "q=" + encodeURIComponent(q), { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === q) show(data.suggestions || [], q); })
        .catch(function () { /* offline or aborted: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); select(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); select(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = list.children[active].getAttribute("data-url");
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("input[data-suggest]").forEach(enhance);

  // Which article readers choose on a search page feeds the hot questions and, per query, the
  // staff's work queue: counts, nothing about the reader. The beacon counts the click, so the
  // article page is asked for with only our origin as referrer: the server counts a click from
  // a search page's referrer only when this script did not (kb/hits.py).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-search-query] a[data-article]");
    if (!link || !navigator.sendBeacon) return;
    var query = link.closest("[data-search-query]").getAttribute("data-search-query");
    var body = new Blob([JSON.stringify({ slug: link.getAttribute("data-article"), query: query })], { type: "application/json" });
    if (navigator.sendBeacon("/api/search/click", body)) link.referrerPolicy = "origin";
  });
})();
