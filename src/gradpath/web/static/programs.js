// Programs, profiles and comparisons: the shortlist, and the search page's htmx niceties.
// The shortlist is a list of offering ids kept in this browser's localStorage and mirrored into the
// compare page's address (/compare?ids=…); nothing about it is sent to or stored on the server.
// Everything here only enhances: without JavaScript the pages work from their URLs alone.
(function () {
  "use strict";
  var KEY = "gradpath.shortlist";
  var MAX = 10;
  var ID_RE = /^\d{5,7}-\d{2}\.\d{4}$/;
  document.documentElement.classList.add("js");

  function load() {
    try {
      var ids = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(ids) ? ids.filter(function (x) { return typeof x === "string" && ID_RE.test(x); }).slice(0, MAX) : [];
    } catch (e) {
      return [];
    }
  }

  function save(ids) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(ids.slice(0, MAX)));
    } catch (e) {
      // Storage refused (private mode, quota): the page still works from its URL.
    }
    render();
  }

  function compareUrl(ids) {
    return ids.length ? "/compare?ids=" + ids.join(",") : "/compare";
  }

  function same(a, b) {
    return a.length === b.length && a.every(function (x, i) { return x === b[i]; });
  }

  function render() {
    var ids = load();
    document.querySelectorAll("[data-compare-id]").forEach(function (box) {
      box.checked = ids.indexOf(box.getAttribute("data-compare-id")) !== -1;
      box.disabled = !box.checked && ids.length >= MAX;
    });
    document.querySelectorAll("[data-shortlist-bar]").forEach(function (bar) {
      bar.hidden = ids.length === 0;
      bar.querySelector("[data-shortlist-count]").textContent = String(ids.length);
      bar.querySelector("[data-shortlist-link]").setAttribute("href", compareUrl(ids));
    });
    var page = document.querySelector("[data-compare-page]");
    var sync = document.querySelector("[data-shortlist-sync]");
    if (page && sync) {
      var shown = (page.getAttribute("data-ids") || "").split(",").filter(Boolean);
      sync.hidden = same(shown, ids);
    }
  }

  function toggle(box) {
    var id = box.getAttribute("data-compare-id");
    var ids = load().filter(function (x) { return x !== id; });
    if (box.checked) ids.push(id);
    save(ids);
  }

  // Compare boxes sit inside the search form but belong to the compare form: keep their change
  // events from reaching the search form, where htmx would run a search.
  var searchForm = document.getElementById("search-form");
  if (searchForm) {
    searchForm.addEventListener("change", function (event) {
      var box = event.target;
      if (box && box.hasAttribute && box.hasAttribute("data-compare-id")) {
        event.stopPropagation();
        toggle(box);
      }
    }, true);
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box && box.hasAttribute && box.hasAttribute("data-compare-id")) toggle(box);
  });

  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-shortlist-clear], [data-shortlist-save], [data-remove-id]") : null;
    if (!el) return;
    if (el.hasAttribute("data-shortlist-clear")) {
      save([]);
    } else if (el.hasAttribute("data-shortlist-save")) {
      var page = document.querySelector("[data-compare-page]");
      save((page.getAttribute("data-ids") || "").split(",").filter(Boolean));
    } else {
      var gone = el.getAttribute("data-remove-id");
      save(load().filter(function (x) { return x !== gone; }));  // then follow the link
    }
  });

  var compareForm = document.getElementById("compare-form");
  if (compareForm) {
    compareForm.addEventListener("submit", function (event) {
      event.preventDefault();
      window.location.href = compareUrl(load());
    });
  }

  // The compare page without ids shows the saved shortlist, so /compare is a bookmark that works.
  var comparePage = document.querySelector("[data-compare-page]");
  if (comparePage && !comparePage.getAttribute("data-ids") && load().length) {
    window.location.replace(compareUrl(load()));
    return;
  }

  // Leave empty fields (an unused number box, "Choose…") out of the request, so the address that
  // htmx pushes into the history stays short and shareable.
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail && event.detail.parameters;
    if (!params || event.detail.verb !== "get") return;
    var names = params instanceof FormData ? Array.from(params.keys()) : Object.keys(params);
    names.forEach(function (name) {
      var values = params instanceof FormData ? params.getAll(name) : [].concat(params[name]);
      if (values.every(function (v) { return v === ""; })) {
        if (params instanceof FormData) params.delete(name); else delete params[name];
      }
    });
  });

  // After htmx replaces the results: tick the boxes again, and after a page change move focus to the
  // results heading so keyboard and screen-reader users start at the new page.
  document.addEventListener("htmx:afterSwap", function (event) {
    render();
    var cfg = event.detail && event.detail.requestConfig;
    var source = cfg && cfg.elt;
    if (source && source.hasAttribute && source.hasAttribute("data-page-link")) {
      var heading = document.getElementById("results-title");
      if (heading) heading.focus();
    }
  });
  // Back/forward may show this page from the browser's cache, as it was before the shortlist changed.
  window.addEventListener("pageshow", render);
  render();
})();
