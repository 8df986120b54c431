/* gxlint serve: the page's only script (served by gxlint; no other script runs: the
   Content-Security-Policy allows none inline).  Every string that comes from a report or a file
   name is put in the page as text (textContent, text nodes), never as HTML. */
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const state = { limits: null, chosen: [], job: null, since: 0, rendered: new Set(), timer: null, rules: new Map() };
  const SEVERITIES = { error: "错误", warning: "警告", info: "提示" };

  /* An element with attributes and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "hidden") node.hidden = true;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function say(text) { $("message").textContent = text || ""; }

  function errorText(data, fallback) {
    if (data && data.error) return `${data.error.code} ${data.error.message}`;
    return fallback;
  }

  /* ------------------------------------------------------------------ choosing files */
  function suffixOf(name) {
    const i = name.lastIndexOf(".");
    return i < 0 ? "" : name.slice(i).toLowerCase();
  }

  function readable(name) {
    return state.limits ? state.limits.suffixes.includes(suffixOf(name)) : true;
  }

  /* What the command skips in a folder: hidden folders, Word's lock files, other types. */
  function skippedInFolder(name) {
    const parts = name.split("/");
    return parts.slice(0, -1).some((p) => p.startsWith(".") || p === "__MACOSX") || parts[parts.length - 1].startsWith("~$") || !readable(name);
  }

  /* The order the command lists a folder in: a folder's files before its sub-folders', by name. */
  function walkKey(name) {
    const parts = name.split("/");
    return parts.slice(0, -1).map((p) => "1" + p).concat(["0" + parts[parts.length - 1]]);
  }

  function byWalk(a, b) {
    const ka = walkKey(a.name), kb = walkKey(b.name);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    }
    return ka.length - kb.length;
  }

  function add(entries, fromFolder) {
    let skipped = 0;
    const picked = [];
    for (const e of entries) {
      if (fromFolder ? skippedInFolder(e.name) : !readable(e.name)) {
        skipped += 1;
        if (!fromFolder) say(`「${e.name}」不是 gxlint 能检查的文件（可检查 .docx、.doc、.wps、.pdf、.ofd、.html、.txt、.md 和 .zip）`);
        continue;
      }
      picked.push(e);
    }
    if (fromFolder) picked.sort(byWalk);
    state.chosen.push(...picked);
    if (fromFolder && skipped) say(`已跳过 ${skipped} 个不是报告的文件`);
    else if (picked.length) say("");
    showChosen();
  }

  function showChosen() {
    const list = $("chosen");
    list.replaceChildren(...state.chosen.map((e) => el("li", {}, e.name)));
  }

  async function entriesOf(entry) {
    if (entry.isFile) {
      const file = await new Promise((ok, fail) => entry.file(ok, fail));
      return [{ file, name: entry.fullPath.replace(/^\/+/, "") }];
    }
    if (!entry.isDirectory) return [];
    const reader = entry.createReader();
    const out = [];
    for (;;) {
      const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
      if (!batch.length) break;
      for (const child of batch) out.push(...(await entriesOf(child)));
    }
    return out;
  }

  async function dropped(event) {
    event.preventDefault();
    $("drop").classList.remove("over");
    const items = Array.from(event.dataTransfer.items || []);
    const entries = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null)).filter(Boolean);
    if (!entries.length) {
      add(Array.from(event.dataTransfer.files).map((f) => ({ file: f, name: f.name })), false);
      return;
    }
    for (const entry of entries) add(await entriesOf(entry), entry.isDirectory);
  }

  /* ------------------------------------------------------------------ checking */
  function check(event) {
    event.preventDefault();
    const urls = $("urls").value.trim();
    if (!state.chosen.length && !urls) {
      say("请先选择报告文件或文件夹，或填写报告网址");
      return;
    }
    const lim = state.limits;
    if (lim) {
      const lines = urls ? urls.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#")).length : 0;
      const zips = state.chosen.filter((e) => suffixOf(e.name) === ".zip").length;
      if (state.chosen.length - zips + lines > lim.max_files) {
        say(`一次最多检查 ${lim.max_files} 份报告，请分批上传`);
        return;
      }
      const previous = $("previous").files[0];
      const size = state.chosen.reduce((n, e) => n + e.file.size, 0) + (previous ? previous.size : 0);
      if (size > lim.max_upload_mb * 1024 * 1024) {
        say(`上传的文件超过大小上限 ${lim.max_upload_mb} MiB，请分批上传`);
        return;
      }
    }
    const form = new FormData();
    for (const e of state.chosen) form.append("files", e.file, e.name);
    if ($("previous").files[0]) form.append("previous", $("previous").files[0]);
    if (urls) form.append("urls", urls);
    forget();
    say("");
    $("start").disabled = true;
    $("results").replaceChildren();
    $("summary").hidden = true;
    $("toolbar").hidden = true;
    $("progress").hidden = false;
    $("progress-files").replaceChildren();
    $("bar").removeAttribute("value");
    $("progress-text").textContent = "上传中…";

    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/jobs");
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) {
        $("bar").max = e.total;
        $("bar").value = e.loaded;
        $("progress-text").textContent = `上传中 ${Math.floor((100 * e.loaded) / e.total)}%`;
      }
    };
    xhr.onload = () => {
      if (xhr.status !== 202) {
        stop(errorText(xhr.response, `上传失败（HTTP ${xhr.status}）`));
        return;
      }
      state.job = xhr.response.id;
      state.since = 0;
      state.rendered = new Set();
      $("bar").max = xhr.response.total;
      $("bar").value = 0;
      $("progress-files").replaceChildren(...xhr.response.names.map((n, i) => el("li", { id: `pf-${i}` }, n)));
      $("progress-text").textContent = `已检查 0 / ${xhr.response.total} 份`;
      poll();
    };
    xhr.onerror = () => stop("上传失败：无法连接服务器，或上传的文件超过了服务器的限制");
    xhr.send(form);
  }

  function stop(message) {
    $("start").disabled = false;
    $("progress").hidden = true;
    say(message);
  }

  async function poll() {
    const id = state.job;
    let data;
    try {
      const answer = await fetch(`/api/jobs/${encodeURIComponent(id)}?since=${state.since}`);
      data = await answer.json();
      if (!answer.ok) {
        stop(errorText(data, `检查失败（HTTP ${answer.status}）`));
        return;
      }
    } catch (e) {
      state.timer = setTimeout(poll, 1000);
      return;
    }
    if (id !== state.job) return;
    $("bar").max = data.total;
    $("bar").value = data.done;
    $("progress-text").textContent = `已检查 ${data.done} / ${data.total} 份`;
    if (data.state === "failed") {
      stop(errorText(data, "检查失败"));
      return;
    }
    if (data.final) {
      finish(data);
      return;
    }
    for (const view of data.reports) {
      if (state.rendered.has(view.index)) continue;
      state.rendered.add(view.index);
      markDone(view.index);
      $("results").append(report(view));
    }
    while (state.rendered.has(state.since)) state.since += 1;
    applyFilters();
    state.timer = setTimeout(poll, 400);
  }

  function markDone(i) {
    const item = $(`pf-${i}`);
    if (item) item.classList.add("done");
  }

  function finish(data) {
    $("start").disabled = false;
    $("progress").hidden = true;
    const base = `/api/jobs/${encodeURIComponent(data.id)}`;
    $("job-downloads").replaceChildren(
      el("a", { href: `${base}/all.zip`, download: "", class: "all-zip" }, "全部下载（.zip）"),
      el("a", { href: `${base}/summary.html`, download: "", class: "summary-html" }, "汇总页面（.html）"),
      el("a", { href: `${base}/findings.csv`, download: "", class: "all-csv" }, "问题清单（.csv，Excel/WPS 可打开）"),
      el("a", { href: `${base}/result.json`, download: "", class: "all-json" }, "结果（JSON）")
    );
    const categories = new Map();
    for (const v of data.reports) for (const g of v.groups) for (const f of g.findings) categories.set(f.category, f.category_label);
    $("category").replaceChildren(el("option", { value: "" }, "全部类别"),
      ...Array.from(categories, ([value, label]) => el("option", { value }, label)));
    $("toolbar").hidden = false;
    if (data.summary) {
      $("summary").replaceChildren(...summaryView(data.summary));
      $("summary").hidden = false;
    }
    $("results").replaceChildren(...data.reports.map((v) => report(v)));
    applyFilters();
  }

  /* ------------------------------------------------------------------ the summary of a batch */
  function summaryView(s) {
    const totals = el("div", { class: "totals" },
      el("div", {}, el("b", {}, s.reports), "份报告"),
      el("div", {}, el("b", {}, s.clean), "份未发现问题"),
      el("div", { class: "error" }, el("b", {}, s.counts.error), "个错误"),
      el("div", { class: "warning" }, el("b", {}, s.counts.warning), "个警告"),
      el("div", { class: "info" }, el("b", {}, s.counts.info), "个提示"),
      el("div", { class: "error" }, el("b", {}, s.broken), "份无法读取"));
    const top = Math.max(1, ...s.categories.map((c) => c.count));
    const chart = el("div", { class: "chart", id: "chart" });
    for (const c of s.categories) {
      const bar = el("span", { class: "bar" });
      bar.style.width = `${Math.max(0.5, (60 * c.count) / top)}%`;
      chart.append(el("span", {}, c.label), el("span", { class: "row" }, bar, String(c.count)));
    }
    const head = el("tr", {}, el("th", {}, "报告"), el("th", {}, "错误"), el("th", {}, "警告"),
      ...s.categories.map((c) => el("th", {}, c.label)));
    const rows = s.rows.map((r) => {
      const link = el("a", { href: `#report-${r.index}` }, r.name);
      if (r.error) return el("tr", { class: "broken" }, el("td", {}, link), el("td", { colspan: 2 + s.categories.length }, `无法读取：${r.error}`));
      const n = (value, cls) => el("td", { class: value ? `n ${cls || ""}`.trim() : "z" }, String(value));
      return el("tr", {}, el("td", {}, link), n(r.errors, "error"), n(r.warnings, "warning"),
        ...s.categories.map((c) => n(r.categories[c.category] || 0)));
    });
    const out = [el("h2", {}, "检查汇总"), totals, el("h3", {}, "按类别统计"),
      s.categories.length ? chart : el("p", {}, "没有发现问题。"),
      el("h3", {}, "各报告问题数（问题最多的在前）"),
      el("table", { id: "reports" }, el("thead", {}, head), el("tbody", {}, rows)),
      el("h3", {}, "最常见的问题")];
    if (s.rules.length) {
      out.push(el("table", { id: "top-rules" },
        el("thead", {}, el("tr", {}, el("th", {}, "规则"), el("th", {}, "说明"), el("th", {}, "次数"), el("th", {}, "涉及报告"))),
        el("tbody", {}, s.rules.map((r) => el("tr", {}, el("td", {}, el("code", {}, r.rule)), el("td", {}, r.title),
          el("td", { class: "n" }, String(r.count)), el("td", { class: "n" }, String(r.files)))))));
    } else {
      out.push(el("p", {}, "没有发现问题。"));
    }
    return out;
  }

  /* ------------------------------------------------------------------ one report */
  function report(v) {
    const article = el("article", { class: "report", id: `report-${v.index}`, "data-index": v.index });
    article.append(el("h2", {}, v.name));
    if (v.error) {
      article.append(el("p", { class: "report-error" }, `无法读取：${v.error.code} ${v.error.message}`));
      return article;
    }
    const meta = el("p", { class: "meta" },
      el("span", { class: "title" }, `标题：${v.title || "（未识别）"}`),
      el("span", { class: "issuer" }, `发布机关：${v.issuer || "（未识别）"}`),
      el("span", { class: "year" }, `年度：${v.year ? v.year + "年" : "（未识别）"}`));
    const total = v.counts.error + v.counts.warning + v.counts.info;
    const counts = el("p", { class: "counts" }, total
      ? Object.keys(SEVERITIES).filter((s) => v.counts[s]).map((s) => el("span", { class: s }, `${SEVERITIES[s]} ${v.counts[s]}`))
      : el("span", { class: "clean" }, "未发现问题"));
    article.append(meta, counts);
    const base = state.job ? `/api/jobs/${encodeURIComponent(state.job)}/reports/${v.index}` : null;
    if (base && total) {
      const links = [];
      if (v.downloads.annotated) links.push(el("a", { href: `${base}/annotated.docx`, download: "", class: "annotated" }, "批注版 .docx（Word 批注）"));
      if (v.downloads.fixed) links.push(el("a", { href: `${base}/fixed.docx`, download: "", class: "fixed" }, "修订版 .docx（修订痕迹，可逐条接受）"));
      links.push(el("a", { href: `${base}/findings.csv`, download: "", class: "csv" }, "问题清单 .csv"));
      article.append(el("p", { class: "downloads" }, links));
    }
    for (const g of v.groups) {
      article.append(el("section", { class: "group" }, el("h3", {}, g.label),
        el("ol", { class: "findings" }, g.findings.map(finding))));
    }
    if (v.audit.length) {
      article.append(el("details", { class: "audit" },
        el("summary", {}, `无法判断的检查（${v.audit.length} 项）：缺少所需的部分、表格或信息，这些规则没有检查`),
        el("ul", {}, v.audit.map((a) => el("li", {}, el("code", {}, a.rule), ` ${a.title}：${a.reason}`)))));
    }
    return article;
  }

  function where(f) {
    const at = f.page ? `第 ${f.page} 页第 ${f.line} 行` : `第 ${f.line} 行第 ${f.column} 列`;
    return f.location ? `${f.location}（${at}）` : at;
  }

  function finding(f) {
    const item = el("li", { class: `finding ${f.severity}`, "data-severity": f.severity, "data-category": f.category },
      el("div", { class: "head" }, el("span", { class: `sev ${f.severity}` }, f.severity_label), el("code", { class: "rule" }, f.rule),
        el("span", { class: "category" }, f.category_label), " · ", el("span", { class: "loc" }, where(f))),
      el("p", { class: "msg" }, f.message));
    if (f.fix) item.append(el("p", { class: "fix" }, `建议改为：「${f.fix.replacement}」`, f.fix.description ? `（${f.fix.description}）` : ""));
    const contextButton = el("button", { type: "button", class: "show-context", "aria-expanded": "false" }, "查看原文");
    const ruleButton = el("button", { type: "button", class: "show-rule", "aria-expanded": "false" }, "规则说明");
    item.append(el("div", { class: "tools" }, contextButton, ruleButton));
    const context = el("blockquote", { class: "context", hidden: true });
    if (f.context) context.append(f.context.before, el("mark", {}, f.context.marked), f.context.after);
    else context.append(el("span", { class: "none" }, "未能找到所在的句子或表格单元格。问题文字："), f.excerpt ? el("mark", {}, f.excerpt) : "（无）");
    const explain = el("pre", { class: "explain", hidden: true });
    item.append(context, explain);
    contextButton.addEventListener("click", () => toggle(contextButton, context));
    ruleButton.addEventListener("click", async () => {
      if (!explain.textContent) explain.textContent = await explanation(f.rule);
      toggle(ruleButton, explain);
    });
    return item;
  }

  function toggle(button, box) {
    box.hidden = !box.hidden;
    button.setAttribute("aria-expanded", String(!box.hidden));
  }

  async function explanation(rule) {
    if (!state.rules.has(rule)) {
      try {
        const answer = await fetch(`/api/rules/${encodeURIComponent(rule)}`);
        const data = await answer.json();
        state.rules.set(rule, answer.ok ? data.explain : errorText(data, "无法获取规则说明"));
      } catch (e) {
        return "无法获取规则说明：无法连接服务器";
      }
    }
    return state.rules.get(rule);
  }

  /* ------------------------------------------------------------------ filters */
  function applyFilters() {
    const shown = new Set(Object.keys(SEVERITIES).filter((s) => $(`show-${s}`).checked));
    const category = $("category").value;
    for (const item of document.querySelectorAll("li.finding")) {
      const on = shown.has(item.dataset.severity) && (!category || item.dataset.category === category);
      item.classList.toggle("filtered", !on);
    }
    for (const group of document.querySelectorAll("section.group")) {
      group.classList.toggle("filtered", !group.querySelector("li.finding:not(.filtered)"));
    }
  }

  /* ------------------------------------------------------------------ leaving */
  function forget() {
    if (state.timer) clearTimeout(state.timer);
    if (state.job) fetch(`/api/jobs/${encodeURIComponent(state.job)}`, { method: "DELETE", keepalive: true }).catch(() => {});
    state.job = null;
  }

  function clear() {
    forget();
    state.chosen = [];
    showChosen();
    $("files").value = "";
    $("folder").value = "";
    $("previous").value = "";
    $("urls").value = "";
    $("results").replaceChildren();
    $("summary").hidden = true;
    $("toolbar").hidden = true;
    $("progress").hidden = true;
    $("start").disabled = false;
    say("");
  }

  async function start() {
    try {
      const answer = await fetch("/api/limits");
      state.limits = await answer.json();
      $("limits").textContent = `一次最多 ${state.limits.max_files} 份、${state.limits.max_upload_mb} MiB；结果保留 ${state.limits.keep_minutes} 分钟`;
      if (!state.limits.allow_urls) $("urls-box").hidden = true;
    } catch (e) {
      say("无法连接 gxlint 服务器，请确认它仍在运行");
    }
    $("files").addEventListener("change", () => {
      add(Array.from($("files").files).map((f) => ({ file: f, name: f.name })), false);
      $("files").value = "";  // the files are kept in the list; the same one can be chosen again
    });
    $("folder").addEventListener("change", () => {
      add(Array.from($("folder").files).map((f) => ({ file: f, name: f.webkitRelativePath || f.name })), true);
      $("folder").value = "";
    });
    const drop = $("drop");
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", dropped);
    $("form").addEventListener("submit", check);
    $("clear").addEventListener("click", clear);
    for (const s of Object.keys(SEVERITIES)) $(`show-${s}`).addEventListener("change", applyFilters);
    $("category").addEventListener("change", applyFilters);
    window.addEventListener("pagehide", forget);
  }

  start();
})();
