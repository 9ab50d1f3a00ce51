// The dpn serve page: upload a photo, show the unary's and the DPN's labels, an overlay, the legend
// and the timings. Plain browser JavaScript, no build step, no network beyond this server.
'use strict';

const $ = (id) => document.getElementById(id);
let photoUrl = null;

function setStatus(text, isError) {
  $('status').textContent = text;
  $('status').classList.toggle('error', Boolean(isError));
}

async function loadModels() {
  try {
    const res = await fetch('v1/models');
    const body = await res.json();
    for (const m of body.models) {
      const opt = document.createElement('option');
      opt.value = m.name;
      opt.textContent = m.name + ' (' + m.labels.length + ' classes)';
      $('model').appendChild(opt);
    }
  } catch (e) {
    setStatus('Cannot list the models: ' + e, true);
  }
}

function percent(area) {
  return (100 * area).toFixed(1) + '%';
}

function showLegend(result) {
  const body = $('legend').querySelector('tbody');
  body.textContent = '';
  const unary = result.unaryLabels || [];
  for (const label of result.labels) {
    const row = document.createElement('tr');
    row.dataset.id = label.id;
    row.dataset.pixels = label.pixels;
    row.className = label.pixels > 0 ? 'present' : 'absent';
    const u = unary[label.id];
    row.innerHTML = '<td><span class="swatch"></span></td><td class="name"></td>'
      + '<td class="num dpn"></td><td class="num unary"></td>';
    row.querySelector('.swatch').style.background = label.colour;
    row.querySelector('.name').textContent = label.name;
    row.querySelector('.dpn').textContent = percent(label.area);
    row.querySelector('.unary').textContent = u ? percent(u.area) : '';
    body.appendChild(row);
  }
}

function showTimings(result) {
  const body = $('timings').querySelector('tbody');
  body.textContent = '';
  for (const [step, ms] of Object.entries(result.timingsMs)) {
    const row = document.createElement('tr');
    row.dataset.step = step;
    row.innerHTML = '<td></td><td class="num"></td>';
    row.cells[0].textContent = step;
    row.cells[1].textContent = ms.toFixed(0) + ' ms';
    body.appendChild(row);
  }
}

async function segment(file) {
  if (!file) {
    return;
  }
  document.body.dataset.state = 'busy';
  setStatus('Segmenting ' + file.name + ' ...');
  if (photoUrl) {
    URL.revokeObjectURL(photoUrl);
  }
  photoUrl = URL.createObjectURL(file);
  const query = new URLSearchParams({ model: $('model').value, format: 'json', images: 'true' });
  try {
    const res = await fetch('v1/segment?' + query, {
      method: 'POST',
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
      body: file,
    });
    const body = await res.json();
    if (!res.ok) {
      throw new Error(body.error || ('HTTP ' + res.status));
    }
    $('photo').src = photoUrl;
    $('overlay-photo').src = photoUrl;
    $('unary').src = body.images.unary;
    $('labels').src = body.images.labels;
    $('overlay-labels').src = body.images.labels;
    showLegend(body);
    showTimings(body);
    $('result').hidden = false;
    setStatus(file.name + ': ' + body.width + ' x ' + body.height + ', model ' + body.model
      + ', ' + body.timingsMs.total.toFixed(0) + ' ms');
    document.body.dataset.state = 'done';
  } catch (e) {
    setStatus(file.name + ': ' + e.message, true);
    document.body.dataset.state = 'error';
  }
}

function setOpacity() {
  $('overlay-labels').style.opacity = $('opacity').value / 100;
  $('opacity-value').textContent = $('opacity').value;
}

$('file').addEventListener('change', () => segment($('file').files[0]));
$('opacity').addEventListener('input', setOpacity);
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  segment(e.dataTransfer.files[0]);
});
loadModels();
setOpacity();
