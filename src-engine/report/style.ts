/** Inline stylesheet shared by the run report and the yield summary: screen and A4 print. */
export const REPORT_CSS = `
:root{--ink:#1d2430;--muted:#5b6675;--line:#d5dbe3;--soft:#f4f6f9;--pass:#1e7b3c;--pass-bg:#e3f4e8;--fail:#b3261e;--fail-bg:#fbe6e4;--skip:#6b7280;--skip-bg:#eef0f3;--error:#9a5b00;--error-bg:#fff1d6;--abort:#5b3f9a;--abort-bg:#ece6f8}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;padding:24px 28px;font:13px/1.45 "Noto Sans","DejaVu Sans","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",system-ui,sans-serif;color:var(--ink);background:#fff}
h1{font-size:20px;margin:0 0 2px}
h2{font-size:15px;margin:22px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--ink)}
h3{font-size:13px;margin:12px 0 4px}
.sub{color:var(--muted);font-size:12px}
.banner{display:flex;justify-content:space-between;align-items:center;gap:16px;padding:14px 18px;border-radius:6px;border:1px solid var(--line);border-left:8px solid var(--skip);background:var(--soft)}
.banner.v-pass{border-left-color:var(--pass)}.banner.v-fail{border-left-color:var(--fail)}.banner.v-error,.banner.v-interrupted{border-left-color:var(--error)}.banner.v-aborted{border-left-color:var(--abort)}
.badge{display:inline-flex;align-items:center;gap:6px;padding:6px 14px;border-radius:4px;font-weight:700;font-size:18px;letter-spacing:.04em;white-space:nowrap}
.badge.simulated{display:flex;margin-top:6px;font-size:13px;color:#7a4d00;background:#fff1c2;border:2px dashed #b77900;white-space:normal}
.badge.v-pass{color:var(--pass);background:var(--pass-bg)}.badge.v-fail{color:var(--fail);background:var(--fail-bg)}.badge.v-error,.badge.v-interrupted,.badge.v-running{color:var(--error);background:var(--error-bg)}.badge.v-aborted{color:var(--abort);background:var(--abort-bg)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:0 24px;margin-top:14px}
.grid>div{min-width:0}
table{width:100%;border-collapse:collapse}
thead{display:table-header-group}
tr{break-inside:avoid}
th,td{text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid var(--line)}
th{font-size:11px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);background:var(--soft)}
table.kv th{width:1%;white-space:nowrap;text-transform:none;font-size:12px;letter-spacing:0;background:none;font-weight:600}
table.kv td{overflow-wrap:anywhere}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.mono,code,pre{font-family:"DejaVu Sans Mono","Noto Sans Mono CJK SC","Consolas",monospace;font-size:11px}
.id{color:var(--muted);font-size:11px}
.mark{display:inline-flex;align-items:center;gap:5px;font-weight:700;white-space:nowrap}
.mark svg{width:14px;height:14px;flex:none}
.m-pass{color:var(--pass)}.m-fail{color:var(--fail)}.m-skipped,.m-pending,.m-unset{color:var(--skip)}.m-error,.m-running{color:var(--error)}.m-aborted{color:var(--abort)}
table.measurements{table-layout:fixed}
td.val{white-space:normal;overflow-wrap:anywhere}
tr.group th{background:none;color:var(--ink);text-transform:none;font-size:12px;letter-spacing:0;font-weight:700;padding-top:8px;border-bottom:1px solid var(--ink)}
tr.row-fail td{background:var(--fail-bg)}tr.row-error td{background:var(--error-bg)}tr.row-aborted td{background:var(--abort-bg)}
.reason{color:var(--muted);font-size:12px}
.remedy{border:1px solid var(--line);border-left:5px solid var(--fail);border-radius:4px;padding:8px 12px;margin:8px 0;break-inside:avoid}
.remedy.r-error,.remedy.r-aborted{border-left-color:var(--error)}
.remedy dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0 0}
.remedy dt{font-weight:600;color:var(--muted);white-space:nowrap}.remedy dd{margin:0;min-width:0;overflow-wrap:anywhere}
pre.excerpt{background:var(--soft);border:1px solid var(--line);border-radius:3px;padding:6px 8px;margin:6px 0 0;white-space:pre-wrap;word-break:break-all}
.bar{height:8px;background:#8da2bf;border-radius:2px;min-width:1px}
.bar.b-fail{background:var(--fail)}.bar.b-error{background:var(--error)}.bar.b-pass{background:var(--pass)}
details{border:1px solid var(--line);border-radius:4px;margin-top:8px}
summary{cursor:pointer;padding:6px 10px;font-weight:600;background:var(--soft)}
.tx{margin:0;padding:6px 8px;white-space:pre-wrap;word-break:break-all;line-height:1.35}
.tx .l{display:block}
.tx .t{color:var(--muted)}
.tx .d{color:var(--muted)}
.tx .l.k{background:#eef3ff}.tx .l.k .d{color:#2749a8;font-weight:700}
.tx .l.kf{background:var(--fail-bg)}.tx .l.kf .d{color:var(--fail)}
.tx .l.n{color:var(--muted);font-style:italic}
.tx .l.omitted{text-align:center;background:var(--soft);margin:4px 0}
.tx .l.x .d{color:#0b6e6e}
footer{margin-top:26px;padding-top:8px;border-top:1px solid var(--line);color:var(--muted);font-size:11px}
footer .mono{word-break:break-all}
.chart{margin:8px 0 4px}
.empty{color:var(--muted);font-style:italic}
@page{size:A4;margin:18mm 12mm 16mm}
@media print{body{padding:0 2px;font-size:11.5px}section.transcript{break-before:page}h2{break-after:avoid}.banner,.remedy{break-inside:avoid}}
`
