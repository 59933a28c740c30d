// The printed page behind a piece of evidence: the PDF page image with the cited text boxed
// (boxes from /api/page, drawn over the image), or for a text export the lines around it.
"use strict";

async function showSource(evidence) {
  const section = $("source-section");
  const view = $("source-view");
  section.hidden = false;
  $("source-title").textContent = `${evidence.report || ""}${evidence.page ? " 第" + evidence.page + "页" : ""}`;
  $("source-meta").textContent = "正在载入……";
  view.replaceChildren();
  try {
    const data = await fetchJSON(evidence.page_view);
    const meta = $("source-meta");
    meta.replaceChildren();
    if (data.kind === "pdf") {
      const found = { exact: "引文原样找到", row: `按“${(data.words || []).join("、")}”定位到行`, none: "本页未找到引文" };
      meta.append(`共 ${data.pages} 页 · ${found[data.found] || ""} · 源文件 ${data.file || ""} · `,
        el("a", { id: "source-pdf", href: data.pdf, download: "" }, "下载 PDF 原件"), " · ",
        el("a", { id: "source-open", href: data.view, target: "_blank" }, "在新页面打开"));
      const image = el("img", { id: "source-image", alt: `${data.report} 第${data.page}页` });
      view.append(image);
      for (const box of data.overlay || []) {
        const mark = el("div", { class: "highlight" });
        Object.assign(mark.style, { left: box.left * 100 + "%", top: box.top * 100 + "%",
          width: box.width * 100 + "%", height: box.height * 100 + "%" });
        view.append(mark);
      }
      image.src = data.image;
    } else {
      const context = data.context || { lines: [], marked: [], first: 1 };
      meta.append(`从文本导入，无页面图像；原文第 ${context.first}–${context.first + context.lines.length - 1} 行 · 源文件 ${data.file || ""}`);
      const marked = new Set(context.marked);
      const pre = el("pre", { id: "source-text" });
      context.lines.forEach((line, i) => {
        pre.append(marked.has(i) ? el("mark", {}, line) : line, "\n");
      });
      view.append(pre);
    }
    section.scrollIntoView({ behavior: "smooth", block: "start" });
  } catch (err) {
    $("source-meta").textContent = "无法载入原文：" + err.message;
  }
}
