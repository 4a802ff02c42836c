package org.bootaudit.analysis;

/**
 * The HTML page of {@code report --html}: inline style and script that build the timeline from
 * the embedded JSON. The URL fragment sets the filters, e.g. {@code #ops=exec,write&dir=/etc&open=1}.
 */
final class HtmlPage {

  private static final String MARK = "@@DATA@@";

  private HtmlPage() {}

  /** The page up to where the JSON data goes. */
  static String head() {
    return TEMPLATE.substring(0, TEMPLATE.indexOf(MARK));
  }

  /** The page after the JSON data. */
  static String tail() {
    return TEMPLATE.substring(TEMPLATE.indexOf(MARK) + MARK.length());
  }

  private static final String TEMPLATE = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
      <title>bootaudit report</title>
      <style>
      body { font: 13px/1.4 system-ui, sans-serif; margin: 16px; color: #222; }
      h1 { font-size: 18px; margin: 0 0 8px; }
      h2 { font-size: 15px; margin: 18px 0 4px; }
      .meta { color: #555; margin-bottom: 6px; }
      .controls { position: sticky; top: 0; background: #f4f6f8; padding: 6px 8px; border: 1px solid #dde; z-index: 1; }
      .controls label { margin-right: 10px; }
      .controls input.dir { width: 220px; font-family: monospace; }
      .count { margin-left: 12px; color: #555; }
      .axis { display: grid; grid-template-columns: 38% 62%; color: #777; font-size: 11px; }
      .axis .ticks { display: flex; justify-content: space-between; }
      .proc { border-bottom: 1px solid #eee; }
      .row { display: grid; grid-template-columns: 38% 62%; cursor: pointer; }
      .row:hover { background: #f7f7ff; }
      .label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-family: monospace; }
      .label .pid { color: #888; }
      .label .n { color: #36c; }
      .track { position: relative; height: 16px; background: var(--phases, #fafafa); }
      .phases { display: grid; grid-template-columns: 38% 62%; color: #555; font-size: 11px; margin-bottom: 2px; }
      .phases .ptrack { position: relative; height: 16px; }
      .band { position: absolute; top: 0; height: 16px; line-height: 16px; padding-left: 3px; box-sizing: border-box; overflow: hidden; white-space: nowrap; border-left: 1px solid #888; }
      .band.initramfs { background: #f1dcae; } .band.root { background: #c9e5bf; } .band.auditd { background: #c3d5ef; } .band.after-window { background: #dadada; }
      .bar { position: absolute; top: 3px; height: 10px; min-width: 3px; background: #4a7bd0; border-radius: 2px; }
      .proc.nomatch .row { opacity: .35; }
      .proc.nomatch .bar { background: #aaa; }
      ul.files { display: none; margin: 0 0 4px; padding: 0; list-style: none; font-family: monospace; }
      .proc.open ul.files { display: block; }
      li.file { padding-left: 2em; }
      li.file[hidden] { display: none; }
      li.left-out { padding-left: 2em; color: #777; font-style: italic; }
      .op { display: inline-block; min-width: 4.5em; color: #fff; font-size: 11px; padding: 0 4px; margin-right: 6px; border-radius: 3px; background: #777; }
      .op.exec { background: #b5472c; } .op.write, .op.create { background: #c08a00; } .op.read { background: #3b7a3b; }
      .op.delete { background: #7a2b7a; } .op.rename, .op.attr { background: #2b6f7a; }
      </style>
      </head>
      <body>
      <h1>bootaudit report</h1>
      <div class="meta">Process tree of each boot as bars from the first sight of a process to its last file event, over the boot's phases (initramfs, root before auditd, auditd, after the window); click a process for its files. Successful events only.</div>
      <div id="boots"></div>
      <script type="application/json" id="data">@@DATA@@</script>
      <script>
      (function () {
        "use strict";
        var OPS = ["create", "read", "write", "exec", "delete", "rename", "attr"];
        var SHADES = { "initramfs": "#fbf4e4", "root": "#eef7eb", "auditd": "#ecf2fa", "after-window": "#f2f2f2" };
        var data = JSON.parse(document.getElementById("data").textContent);
        var hash = new URLSearchParams(location.hash.replace(/^#/, ""));

        function el(tag, cls, text) {
          var e = document.createElement(tag);
          if (cls) { e.className = cls; }
          if (text !== undefined) { e.textContent = text; }
          return e;
        }
        function secs(ms) { return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + " s"; }

        function controls(section) {
          var c = el("div", "controls");
          var wanted = hash.get("ops") ? hash.get("ops").split(",") : OPS;
          OPS.forEach(function (op) {
            var l = el("label");
            var box = el("input");
            box.type = "checkbox";
            box.dataset.op = op;
            box.checked = wanted.indexOf(op) >= 0;
            box.addEventListener("change", function () { filter(section); });
            l.appendChild(box);
            l.appendChild(document.createTextNode(" " + op));
            c.appendChild(l);
          });
          var dir = el("input", "dir");
          dir.type = "text";
          dir.placeholder = "directory prefix, e.g. /etc";
          dir.value = hash.get("dir") || "";
          dir.addEventListener("input", function () { filter(section); });
          c.appendChild(dir);
          var all = el("button", "", "expand all");
          all.addEventListener("click", function () { toggleAll(section, true); });
          var none = el("button", "", "collapse all");
          none.addEventListener("click", function () { toggleAll(section, false); });
          c.appendChild(all);
          c.appendChild(none);
          c.appendChild(el("span", "count"));
          return c;
        }

        function toggleAll(section, open) {
          section.querySelectorAll(".proc").forEach(function (p) { p.classList.toggle("open", open); });
        }

        function proc(p, span, b) {
          var d = el("div", "proc");
          d.dataset.pid = p.pid;
          d.dataset.depth = p.depth;
          var row = el("div", "row");
          var label = el("div", "label");
          label.style.paddingLeft = (p.depth * 14) + "px";
          label.appendChild(el("span", "comm", p.comm + " "));
          label.appendChild(el("span", "pid", "[" + p.pid + "] "));
          label.appendChild(el("span", "exe", p.exe + " "));
          label.appendChild(el("span", "n", "(" + p.nfiles + ")"));
          label.title = p.exe + (p.argv ? "\\n" + p.argv : "");
          var track = el("div", "track");
          var bar = el("div", "bar");
          bar.style.left = (100 * p.s / span) + "%";
          bar.style.width = (100 * (p.e - p.s) / span) + "%";
          bar.title = p.comm + " " + secs(p.s) + " .. " + secs(p.e);
          track.appendChild(bar);
          row.appendChild(label);
          row.appendChild(track);
          row.addEventListener("click", function () { d.classList.toggle("open"); });
          d.appendChild(row);
          var ul = el("ul", "files");
          p.files.forEach(function (f) {
            var li = el("li", "file");
            li.dataset.op = f[1];
            li.dataset.t = f[2];
            f[1].split(" ").forEach(function (op) { li.appendChild(el("span", "op " + op, op)); });
            li.appendChild(el("span", "path", f[0]));
            li.title = "first at +" + secs(f[2]);
            li._path = f[0];
            ul.appendChild(li);
          });
          if (p.files.length < p.nfiles) {
            ul.appendChild(el("li", "left-out", "list of " + p.nfiles + " files not kept: only the " + b.listed
                + " processes with the most files keep their lists in this report"));
          }
          d.appendChild(ul);
          return d;
        }

        // the phases as labelled bands under the axis, and as shades behind every process's track
        function phases(section, b, span) {
          var row = el("div", "phases");
          row.appendChild(el("div", "", "phase"));
          var track = el("div", "ptrack");
          var stops = [];
          b.phases.forEach(function (p) {
            var band = el("div", "band " + p.phase, p.phase);
            band.dataset.phase = p.phase;
            band.style.left = (100 * p.s / span) + "%";
            band.style.width = (100 * (p.e - p.s) / span) + "%";
            band.title = p.phase + " +" + secs(p.s) + " .. +" + secs(p.e) + ", " + p.title;
            track.appendChild(band);
            stops.push(SHADES[p.phase] + " " + (100 * p.s / span) + "%", SHADES[p.phase] + " " + (100 * p.e / span) + "%");
          });
          row.appendChild(track);
          if (stops.length) {
            section.style.setProperty("--phases", "linear-gradient(to right, " + stops.join(", ") + ")");
          }
          return row;
        }

        function filter(section) {
          var ops = {};
          section.querySelectorAll(".controls input[type=checkbox]").forEach(function (b) { ops[b.dataset.op] = b.checked; });
          var dir = section.querySelector(".controls input.dir").value;
          var shown = 0, total = 0;
          section.querySelectorAll(".proc").forEach(function (p) {
            var n = 0;
            p.querySelectorAll("li.file").forEach(function (li) {
              var ok = li._path.indexOf(dir) === 0 && li.dataset.op.split(" ").some(function (o) { return ops[o]; });
              li.hidden = !ok;
              n += ok ? 1 : 0;
              total++;
            });
            p.dataset.match = n;
            p.classList.toggle("nomatch", n === 0);
            shown += n;
          });
          section.dataset.shown = shown;
          section.querySelector(".count").textContent = shown + " of " + total + " file uses shown";
        }

        data.boots.forEach(function (b) {
          var s = el("section", "boot");
          s.dataset.boot = b.boot;
          s.dataset.node = b.node;
          s.appendChild(el("h2", "", "boot " + b.boot + (b.node ? " (node " + b.node + ")" : "") + ": " + b.start + " .. " + b.end));
          s.appendChild(el("div", "meta", "window: " + b.window + "; " + b.procs.length + " processes; loss: " + b.loss
              + (b.leftOut ? "; file lists kept for the " + b.listed + " processes with the most files, " + b.leftOut
                  + " other processes' lists left out" : "")));
          s.appendChild(controls(s));
          var span = Math.max(1, b.span);
          var axis = el("div", "axis");
          axis.appendChild(el("div", "", "process (pid) image (files)"));
          var ticks = el("div", "ticks");
          [0, 0.25, 0.5, 0.75, 1].forEach(function (f) { ticks.appendChild(el("span", "", "+" + secs(f * span))); });
          axis.appendChild(ticks);
          s.appendChild(axis);
          s.appendChild(phases(s, b, span));
          b.procs.forEach(function (p) { s.appendChild(proc(p, span, b)); });
          document.getElementById("boots").appendChild(s);
          if (hash.get("open") === "1") { toggleAll(s, true); }
          filter(s);
        });
        document.body.dataset.ready = "1";
      })();
      </script>
      </body>
      </html>
      """;
}
