"""The console's stylesheet and script, served from the same port: nothing is fetched elsewhere.

The script only enhances pages the server already rendered: it checks the
start form's JSON before the form is sent, and on an execution's page asks
`/execution/live` once a second for the parts that changed while it runs.
Every colour pair keeps a contrast of at least 4.5:1 (tests measure it).
"""

from __future__ import annotations

CSS = """
:root { --text: #16191f; --muted: #545b64; --line: #d5dbdb; --link: #0b5cad;
        --panel: #ffffff; --page: #f2f3f3; --danger: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--text); line-height: 1.45;
       font-family: Helvetica, Arial, 'DejaVu Sans', sans-serif; font-size: 15px; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible,
pre:focus-visible, summary:focus-visible, .graph:focus-visible {
  outline: 3px solid var(--link); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 0.5rem; }
.skip:focus { left: 0.5rem; z-index: 10; }
.banner { background: #232f3e; color: #ffffff; padding: 0.6rem 1.5rem;
          display: flex; align-items: baseline; gap: 0.75rem; }
.brand { color: #ffffff; font-weight: bold; font-size: 1.1rem; text-decoration: none; }
.brand-note { color: #d5dbdb; font-size: 0.9rem; }
.trail { padding: 0.6rem 1.5rem 0; font-size: 0.9rem; }
.trail ol { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; }
.trail li + li::before { content: "/"; color: var(--muted); padding: 0 0.45rem; }
main { padding: 0.5rem 1.5rem 2rem; max-width: 1400px; }
h1 { font-size: 1.45rem; margin: 0.4rem 0 0.8rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 0 0 0.6rem; }
section, .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
                  padding: 1rem 1.1rem; margin-bottom: 1rem; min-width: 0; }
.columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; }
.halves { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.5rem; }
.halves h3 { font-size: 0.95rem; margin: 0; }
@media (max-width: 900px) { .columns, .halves { grid-template-columns: minmax(0, 1fr); } }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
caption { text-align: left; color: var(--muted); padding-bottom: 0.4rem; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line);
         vertical-align: top; }
th { background: #fafafa; }
td .details { font-family: Menlo, Consolas, 'DejaVu Sans Mono', monospace; font-size: 0.8rem;
             overflow-wrap: anywhere; }
.empty, .note { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0.05rem 0.55rem; border-radius: 999px;
         font-size: 0.8rem; font-weight: bold; border: 1px solid; }
.badge-succeeded { color: #1a6b00; background: #e9f6ec; border-color: #1d8102; }
.badge-failed { color: #b3261e; background: #fdecea; border-color: #d13212; }
.badge-running { color: #0b5cad; background: #e6f2fd; border-color: #0972d3; }
.badge-aborted { color: #545b64; background: #f4f5f6; border-color: #9ba7b6; }
.graph { overflow: auto; }
.graph svg { display: block; margin: 0 auto; min-width: min(100%, 460px); height: auto; }
pre.json { background: #f7f8f8; border: 1px solid var(--line); border-radius: 6px;
           padding: 0.5rem 0.7rem; margin: 0.25rem 0 0.6rem; max-height: 16rem; overflow: auto;
           font-family: Menlo, Consolas, 'DejaVu Sans Mono', monospace; font-size: 0.8rem; }
.visit { border-top: 1px solid var(--line); padding: 0.4rem 0; }
.visit summary { cursor: pointer; }
.visit h3 { display: inline; font-size: 0.95rem; margin: 0; }
.visit .step { color: var(--muted); font-size: 0.85rem; }
.visit h4 { font-size: 0.85rem; margin: 0.3rem 0 0; color: var(--muted); }
.error { border-left: 4px solid var(--danger); background: #fdecea; padding: 0.5rem 0.8rem;
         border-radius: 4px; margin: 0.5rem 0; overflow-wrap: anywhere; }
.error strong { color: var(--danger); }
.actions { display: flex; gap: 0.6rem; align-items: center; flex-wrap: wrap; margin: 0.6rem 0; }
.actions form { margin: 0; }
button { font: inherit; font-weight: bold; padding: 0.45rem 1rem; border-radius: 6px;
         border: 2px solid var(--link); background: var(--link); color: #ffffff; cursor: pointer; }
button.danger { background: #ffffff; color: var(--danger); border-color: var(--danger); }
label { display: block; font-weight: bold; margin: 0.6rem 0 0.2rem; }
.hint { color: var(--muted); font-size: 0.85rem; margin: 0 0 0.2rem; }
input[type=text], textarea { width: 100%; font: inherit; padding: 0.4rem 0.5rem;
  border: 1px solid #687078; border-radius: 4px; color: var(--text); background: #ffffff; }
textarea { font-family: Menlo, Consolas, 'DejaVu Sans Mono', monospace; font-size: 0.85rem;
           min-height: 8rem; }
[aria-invalid=true] { border: 2px solid var(--danger); }
.field-error { color: var(--danger); font-weight: bold; margin: 0.25rem 0 0; min-height: 1.2em; }
.live { color: var(--muted); font-size: 0.85rem; }
"""

JS = """
(function () {
  "use strict";
  // AWS's execution names: 1-80 characters, none of these (arns.require_name, server side).
  var BAD_NAME = /[\\s<>{}\\[\\]?*"#%\\\\^|~`$&,;:\\/\\u0000-\\u001f\\u007f-\\u009f]/;

  function report(field, message) {
    var box = document.getElementById(field.id + "-error");
    box.textContent = message;
    field.setAttribute("aria-invalid", message ? "true" : "false");
    return !message;
  }

  function checkInput(field) {
    try {
      JSON.parse(field.value.trim() === "" ? "{}" : field.value);
      return report(field, "");
    } catch (error) {
      return report(field, "The input is not JSON: " + error.message);
    }
  }

  function checkName(field) {
    var name = field.value;
    if (name !== "" && (name.length > 80 || BAD_NAME.test(name))) {
      return report(field, "A name has 1 to 80 characters, without spaces or " +
                    "< > { } [ ] ? * \\" # % \\\\ ^ | ~ ` $ & , ; : /");
    }
    return report(field, "");
  }

  var form = document.getElementById("start-form");
  if (form) {
    var input = form.elements.namedItem("input");
    var name = form.elements.namedItem("name");
    input.addEventListener("change", function () { checkInput(input); });
    name.addEventListener("change", function () { checkName(name); });
    form.addEventListener("submit", function (event) {
      var nameOk = checkName(name);
      var inputOk = checkInput(input);
      if (!nameOk || !inputOk) {
        event.preventDefault();
        (nameOk ? input : name).focus();
      }
    });
  }

  var live = document.querySelector("[data-live]");
  if (live) {
    var since = live.getAttribute("data-since");
    var poll = function () {
      var address = live.getAttribute("data-live") + "&since=" + encodeURIComponent(since);
      fetch(address, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (!state.unchanged) {
            Object.keys(state.fragments).forEach(function (id) {
              var part = document.getElementById(id);
              if (part) { part.innerHTML = state.fragments[id]; }
            });
            since = state.since;
          }
          if (state.done) {
            live.removeAttribute("data-live");
            document.getElementById("live-note").textContent = "Execution ended.";
          } else {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 1000);
  }
})();
"""
