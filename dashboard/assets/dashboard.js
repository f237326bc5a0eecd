// The dashboard's only script: draws the charts from their JSON data blocks, drives the
// time-travel slider and follows a projection rebuild. Every page works without it, except
// the charts themselves (their numbers are in tables beside them).
(() => {
  const palette = ['#1f5fbf', '#d9822b', '#2a9d8f', '#b5179e', '#6c757d'];

  const readData = (id) => {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent || 'null') : null;
  };

  const colored = (datasets, fill) =>
    datasets.map((d, i) => ({
      ...d,
      borderColor: palette[i % palette.length],
      backgroundColor: fill ? `${palette[i % palette.length]}33` : palette[i % palette.length],
      borderWidth: 2,
    }));

  // A dashed vertical line where the time-travel date is.
  const markerPlugin = {
    id: 'asOfMarker',
    afterDatasetsDraw(chart, _args, options) {
      if (!options || typeof options.x !== 'number') return;
      const x = chart.scales.x.getPixelForValue(options.x);
      const { top, bottom } = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = '#b3261e';
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.fillStyle = '#b3261e';
      ctx.textAlign = 'right';
      ctx.fillText(options.label || '', x - 4, top + 12);
      ctx.restore();
    },
  };

  const charts = {
    bar: (data) => ({
      type: 'bar',
      data: { labels: data.labels, datasets: colored(data.datasets, false) },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    }),
    radar: (data) => ({
      type: 'radar',
      data: { labels: data.labels, datasets: colored(data.datasets, true) },
      options: {
        maintainAspectRatio: false,
        scales: { r: { min: 0, max: 5, ticks: { stepSize: 1 } } },
      },
    }),
    growth: (data) => {
      const day = new Intl.DateTimeFormat(data.lang === 'ja' ? 'ja-JP' : 'en-GB', {
        timeZone: data.timeZone,
        month: 'short',
        day: 'numeric',
      });
      const full = new Intl.DateTimeFormat(data.lang === 'ja' ? 'ja-JP' : 'en-GB', {
        timeZone: data.timeZone,
        dateStyle: 'medium',
        timeStyle: 'short',
      });
      return {
        type: 'line',
        data: {
          datasets: colored(data.datasets, false).map((d) => ({ ...d, pointRadius: 4, tension: 0.2 })),
        },
        plugins: [markerPlugin],
        options: {
          maintainAspectRatio: false,
          parsing: false,
          interaction: { mode: 'nearest', intersect: true },
          scales: {
            x: {
              type: 'linear',
              min: data.xMin,
              max: data.xMax,
              ticks: { callback: (value) => day.format(new Date(value)), maxTicksLimit: 10 },
            },
            y: { min: 1, max: 5, ticks: { stepSize: 1 } },
          },
          plugins: {
            asOfMarker: data.marker,
            tooltip: {
              callbacks: {
                title: (items) => (items[0] ? full.format(new Date(items[0].parsed.x)) : ''),
              },
            },
          },
          onClick: (_event, elements, chart) => {
            const hit = elements[0];
            if (!hit) return;
            const point = chart.data.datasets[hit.datasetIndex].data[hit.index];
            // Analysts see no transcripts: their points open nothing.
            if (point?.id && data.sessionUrl)
              window.location.assign(data.sessionUrl + encodeURIComponent(point.id));
          },
          onHover: (event, elements) => {
            event.native.target.style.cursor = elements.length ? 'pointer' : 'default';
          },
        },
      };
    },
  };

  const drawCharts = () => {
    if (typeof window.Chart !== 'function') return;
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
      const make = charts[canvas.dataset.chart];
      const data = readData(canvas.dataset.source);
      if (!make || !data) continue;
      const chart = new window.Chart(canvas, make(data));
      canvas.dataset.rendered = 'true';
      canvas.chart = chart;
    }
  };

  // The slider moves the date input by days; letting go shows that day.
  const timeTravel = () => {
    const form = document.querySelector('form[data-time-travel]');
    if (!form) return;
    const range = form.querySelector('input[type="range"]');
    const date = form.querySelector('input[type="date"]');
    if (!range || !date) return;
    range.hidden = false;
    const start = Date.parse(`${range.dataset.start}T00:00:00Z`);
    const dayOf = (offset) => new Date(start + Number(offset) * 86400000).toISOString().slice(0, 10);
    range.addEventListener('input', () => {
      date.value = dayOf(range.value);
    });
    range.addEventListener('change', () => form.requestSubmit());
    date.addEventListener('change', () => {
      const offset = Math.round((Date.parse(`${date.value}T00:00:00Z`) - start) / 86400000);
      if (Number.isFinite(offset)) range.value = String(offset);
    });
  };

  // While a rebuild is requested or running, refresh the projections table every two seconds.
  const followRebuild = () => {
    const table = document.querySelector('table[data-poll]');
    if (table?.dataset.active !== 'true') return;
    const body = table.querySelector('tbody');
    const poll = async () => {
      try {
        const response = await fetch(table.dataset.poll, {
          headers: { Accept: 'application/json' },
          credentials: 'same-origin',
        });
        if (!response.ok) return;
        const status = await response.json();
        body.innerHTML = status.rowsHtml;
        table.dataset.active = String(status.active);
        if (!status.active) {
          window.location.replace(window.location.pathname);
          return;
        }
      } catch {
        // A missed poll is retried on the next tick.
      }
      setTimeout(poll, 2000);
    };
    setTimeout(poll, 1000);
  };

  const start = () => {
    drawCharts();
    timeTravel();
    followRebuild();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
