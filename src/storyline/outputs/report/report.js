// Citation viewer for the self-contained report: a link "#cite-<article>-<start>-<end>" opens
// the article and marks that range. Offsets count Unicode code points (as Python does), while
// JavaScript strings count UTF-16 units, so the text is split with Array.from first.
// Text is only ever inserted with textContent / text nodes: article content never becomes HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("storyline-articles").textContent);
  var viewer = document.getElementById("viewer");
  var title = document.getElementById("viewer-title");
  var meta = document.getElementById("viewer-meta");
  var body = document.getElementById("viewer-text");
  var pattern = /^#cite-(.+)-(\d+)-(\d+)$/;

  function show(hash) {
    var m = pattern.exec(hash || "");
    if (!m) return false;
    var id;
    try {
      id = decodeURIComponent(m[1]);
    } catch (e) {
      return false;  // a hand-typed "#cite-%E0-1-2" is no citation, not an error
    }
    // Own properties only: "#cite-__proto__-0-1" must not find Object.prototype.
    var article = Object.prototype.hasOwnProperty.call(data, id) ? data[id] : null;
    var section = document.getElementById("article-" + id);
    var source = section ? section.querySelector(".text") : null;
    if (!article || !source) return false;
    // textContent gives back the text exactly: control characters were made visible one for
    // one on the server, so the HTML parser has no carriage returns or NULs to rewrite.
    var chars = Array.from(source.textContent);
    var start = Math.min(parseInt(m[2], 10), chars.length);
    var end = Math.max(start, Math.min(parseInt(m[3], 10), chars.length));
    title.textContent = article.title;
    meta.textContent = [article.outlet, article.published || "undated",
                        "characters " + start + "–" + end].join(" · ");
    body.textContent = "";
    body.appendChild(document.createTextNode(chars.slice(0, start).join("")));
    var mark = document.createElement("mark");
    mark.id = "cited";
    mark.textContent = chars.slice(start, end).join("");
    body.appendChild(mark);
    body.appendChild(document.createTextNode(chars.slice(end).join("")));
    viewer.hidden = false;
    document.body.classList.add("viewing");
    mark.scrollIntoView({block: "center"});
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#cite-']") : null;
    if (!link) return;
    var hash = link.getAttribute("href");
    if (show(hash)) {
      event.preventDefault();
      if (location.hash !== hash) history.pushState(null, "", hash);
    }
  });
  document.getElementById("viewer-close").addEventListener("click", function () {
    viewer.hidden = true;
    document.body.classList.remove("viewing");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !viewer.hidden) {
      viewer.hidden = true;
      document.body.classList.remove("viewing");
    }
  });
  window.addEventListener("hashchange", function () { show(location.hash); });
  if (location.hash) show(location.hash);
})();
