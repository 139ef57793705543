// The query page: YASQE edits and sends the query to this server's /sparql, YASR shows the answer.
// Settings (prefixes, named queries) come from the page's JSON block; nothing here asks any
// other origin, and the editor's completers that would (LOV terms, prefix.cc) are left out.
(function () {
  "use strict";
  const settings = JSON.parse(document.getElementById("settings").textContent);
  const byName = new Map(settings.queries.map((q) => [q.name, q]));

  const yasqe = new Yasqe(document.getElementById("editor"), {
    value: "",
    persistenceId: null,
    autocompleters: ["prefixes", "variables"],
    showQueryButton: true,
    requestConfig: { endpoint: "/sparql", method: "POST" },
    editorHeight: "320px",
  });
  const yasr = new Yasr(document.getElementById("results"), {
    persistenceId: null,
    prefixes: settings.prefixes,
  });

  // The answer (or the error) is the argument with a status or an Error; the time is a number.
  yasqe.on("queryResponse", function () {
    const args = Array.from(arguments);
    const response = args.find((a) => a instanceof Error || (a && typeof a === "object" && "status" in a && a !== yasqe));
    const duration = args.find((a) => typeof a === "number") || 0;
    yasr.setResponse(response, duration);
  });

  // A paged query run here as it stands lists every key; say where its pages are (as text and
  // a link built with the DOM, never as markup).
  const pagedNote = document.getElementById("paged");
  function load(name) {
    const q = byName.get(name);
    if (!q) return;
    yasqe.setValue(settings.declared + "\n" + q.text);
    pagedNote.replaceChildren();
    pagedNote.hidden = !q.page;
    if (q.page) {
      const link = document.createElement("a");
      link.href = q.page.url;
      link.textContent = q.page.url;
      pagedNote.append("Paged by " + q.page.by + " (" + q.page.order + "): run here it lists every one; one page at a time: ", link,
        " (limit, offset; its total in the X-Diplo-Total header)");
    }
  }
  for (const button of document.querySelectorAll("#named button.load")) {
    button.addEventListener("click", () => load(button.dataset.name));
  }
  load(settings.start);

  // Beside every link to an actor's IRI, a link to its network page. The table draws rows page
  // by page, so new links are looked for whenever the results change.
  const actorNs = settings.actorNamespace;
  function linkActors() {
    for (const a of document.querySelectorAll("#results a[href]")) {
      const iri = a.getAttribute("href");
      if (!iri.startsWith(actorNs) || a.dataset.diploLinked) continue;
      a.dataset.diploLinked = "1";
      const view = document.createElement("a");
      view.className = "diplo-view";
      view.textContent = "view";
      view.href = "/view?actor=" + encodeURIComponent(decodeURIComponent(iri.slice(actorNs.length)));
      a.after(view);
    }
  }
  new MutationObserver(linkActors).observe(document.getElementById("results"), { childList: true, subtree: true });

  window.diploQuery = { yasqe: yasqe, yasr: yasr, load: load, ready: true };
})();
