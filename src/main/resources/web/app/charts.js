// ECharts, only the parts the page uses (tree-shaken by the bundler), and the charts alive in the current view.
import * as echarts from 'echarts/core';
import { CustomChart, LineChart, BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, MarkAreaComponent, MarkLineComponent, DataZoomComponent, LegendComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([CustomChart, LineChart, BarChart, GridComponent, TooltipComponent, MarkAreaComponent, MarkLineComponent,
  DataZoomComponent, LegendComponent, AriaComponent, CanvasRenderer]);

// The charts drawn by the current view, by their container's id. Open to the console and to the browser tests,
// which read what each chart was given (getOption()) next to what the page shows in its tables.
const live = new Map();
window.gpuplanCharts = live;

export function chart(container, option, height) {
  if (height) container.style.height = height + 'px';
  let instance = live.get(container.id);
  if (!instance || instance.isDisposed() || instance.getDom() !== container) {
    instance = echarts.init(container, null, { renderer: 'canvas' });
    live.set(container.id, instance);
  } else if (height) {
    instance.resize();
  }
  instance.setOption(option, { notMerge: true });
  return instance;
}

export function disposeAll() {
  for (const instance of live.values()) {
    if (!instance.isDisposed()) instance.dispose();
  }
  live.clear();
}

window.addEventListener('resize', () => {
  for (const instance of live.values()) {
    if (!instance.isDisposed()) instance.resize();
  }
});
