// Apache ECharts (vendored, global ``echarts``). Each chart lives in a div with an id, so the
// browser tests read it back with echarts.getInstanceByDom(el).getOption().
import { h } from "./dom.js";

const live = new Set();
let pending = [];

/** Dispose every chart of the previous page (views replace the whole main element). */
export function disposeCharts() {
  for (const chart of live) chart.dispose();
  live.clear();
  pending = [];
}

/** Draw the charts of the page just shown: ECharts measures its container, so it starts
 * only once the container is in the document. */
export function drawCharts() {
  for (const [el, option] of pending) {
    const chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({ animation: false, tooltip: { trigger: "axis" }, ...option });
    live.add(chart);
  }
  pending = [];
}

addEventListener("resize", () => live.forEach((chart) => chart.resize()));

function mount(id, option) {
  const el = h("div", { id, class: "chart" });
  pending.push([el, option]);
  return el;
}

/** Bars per category; ``series`` is [{name, data}] (stacked when ``stack`` is true). */
export function barChart(id, categories, series, { stack = false, horizontal = false } = {}) {
  const category = { type: "category", data: categories, axisLabel: { interval: 0, rotate: horizontal ? 0 : 20 } };
  const value = { type: "value", minInterval: 1 };
  return mount(id, {
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series: series.map((s) => ({ type: "bar", stack: stack ? "all" : undefined, ...s })),
  });
}

/** Lines over months; values null where a rate is not applicable (a gap, not a zero). */
export function lineChart(id, months, series, { percent = true } = {}) {
  return mount(id, {
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "category", data: months },
    yAxis: { type: "value", max: percent ? 100 : undefined, axisLabel: { formatter: percent ? "{value}%" : "{value}" } },
    series: series.map((s) => ({ type: "line", connectNulls: false, ...s })),
  });
}
