"""What the atlas map does in the browser: place markers, selection, view and layer state, legend.

The map's script is cached per filtered view; everything that changes while a reader works
(zoom, centre, visible layers) is *not* in it, and never reaches Python: panning, zooming or
toggling a layer neither remounts the map nor reruns the script. Instead:

* :class:`PlaceMarkers` draws one keyboard-reachable marker per place group (a count in a
  badge, an accessible name, Enter or Space selects it).
* :class:`Workspace` defines ``window.atlasSelect(ref)``: a click (or a key) hands the
  feature's reference to streamlit-folium as ``last_object_clicked_tooltip``
  (``"<mount>.<n> [ref]"``, new for every click), the only value the page asks the map to
  return, so a click is the only map event that reruns the script. Tooltips themselves carry
  no reference. The view lives in the Streamlit page's URL (``zoom``, ``lat``, ``lon``,
  ``layers``): the map reads it when it mounts (a reload, a shared link, a filter change that
  rebuilt it) and writes it with ``history.replaceState`` after every move and layer toggle;
  :data:`PAGE_HOOK` keeps it there when Streamlit rewrites the URL. A link without a view (an
  event-list row) gets the tab's last view (``sessionStorage``). Its "Copy link" control
  copies the page's URL as it is at that moment.
* Tooltips open on a mouse's hover and the keyboard's focus, never on a tap (a finger's tap
  selects; a tooltip opened by the mouse events a tap fakes would stay over the map), and a
  click closes them.
* :func:`legend_html`: event types in words, place precision and line styles.
"""

from __future__ import annotations

import json

from branca.element import MacroElement
from jinja2 import Template

from dashboard.escape import html_text
from geodata.places import type_label

__all__ = ["CSS", "GroupRegistry", "PAGE_HOOK", "PlaceMarkers", "VIEW_PARAMS", "Workspace", "ZOOM_RANGE", "legend_html"]

# The map view in the page's URL (zoom, centre, visible layers as a comma list) and the zooms it may ask for.
VIEW_PARAMS = ("zoom", "lat", "lon", "layers")
ZOOM_RANGE = (2, 18)
CSS = """<style>
.leaflet-container{background:#dbe9f2;font-family:system-ui,sans-serif}
.leaflet-control-layers{font-size:12px;line-height:1.35}.leaflet-control-layers-expanded{padding:3px 6px}
@media (min-width:640px){.leaflet-control-layers-list{display:block!important;position:static!important}
 .leaflet-control-layers-toggle{display:none!important}}
.atlas-tip{max-width:230px;white-space:normal;font-size:12px;line-height:1.3;padding:3px 6px}
.atlas-pin{transform:translate(-50%,-50%);box-sizing:border-box;min-width:24px;height:24px;padding:0 5px;border-radius:12px;border:2px solid #fff;
 background:var(--c);color:#fff;font:600 12px/20px system-ui,sans-serif;text-align:center;
 box-shadow:0 0 0 1px #333,0 1px 3px rgba(0,0,0,.4);cursor:pointer;white-space:nowrap}
.atlas-pin.light{color:#111}
.atlas-pin.user{border:3px dotted #111}
.atlas-pin.region{border-radius:3px;border:2px dashed #333;background:repeating-linear-gradient(45deg,#fff,#fff 4px,var(--c) 4px,var(--c) 6px);color:#111}
.atlas-pin.region span{background:#fff;border-radius:6px;padding:0 3px;line-height:14px;display:inline-block}
.leaflet-marker-icon.atlas-place-icon{background:none;border:none}
.leaflet-interactive:focus,.leaflet-marker-icon:focus,.leaflet-container:focus{outline:none}
.leaflet-marker-icon:focus-visible .atlas-pin{outline:3px solid #1a73e8;outline-offset:2px}
.leaflet-container:focus-visible{outline:3px solid #1a73e8;outline-offset:-3px}
.atlas-legend{background:#fff;padding:3px 7px;border-radius:4px;font-size:11px;line-height:1.3;max-width:250px;
 max-height:45vh;overflow:auto;box-shadow:0 1px 4px rgba(0,0,0,.3)}
.atlas-legend .types{display:grid;grid-template-columns:1fr 1fr;column-gap:6px}
.atlas-legend summary{cursor:pointer;font-weight:600}
.atlas-legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px;vertical-align:-1px}
.atlas-legend .ln{display:inline-block;width:22px;border-top:3px solid #7f0000;margin-right:4px;vertical-align:3px}
.atlas-legend .ln.dash{border-top-style:dashed}
.atlas-share{background:#fff;padding:3px 5px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font-size:12px;max-width:260px}
.atlas-share button{font:inherit;cursor:pointer;border:1px solid #999;border-radius:3px;background:#fff;padding:1px 6px}
.atlas-share input{display:block;width:240px;margin-top:3px;font-size:11px}.atlas-share input[hidden]{display:none}
.atlas-share-note{margin-left:4px;color:#1b7837}
.atlas-legend .sq{border-radius:2px;border:1px dashed #333;background:repeating-linear-gradient(45deg,#fff,#fff 2px,#999 2px,#999 4px)}
</style>"""

_PINS = Template("""{% macro script(this, kwargs) %}
(function(){
  var group = {{ this._parent.get_name() }};
  var pins = L.layerGroup().addTo(group);  // its own layer: a relayout never clears the region rings beside it
  var data = {{ this.data|tojson }};
  var SEP = {{ this.min_px }};  // badges closer than this (in pixels, at the current zoom) become one
  function make(items){
    var d = items[0], n = 0;
    items.forEach(function(x){ n += x.count; });
    var many = items.length > 1;
    var ref = many ? 'groups:' + items.map(function(x){ return x.ref.slice(7); }).join('+') : d.ref;
    var names = items.map(function(x){ return x.name; }).join(', ');
    var label = many ? names + ': ' + n + ' events at ' + items.length + ' places' : d.label;
    var tip = many ? '<b>' + items.map(function(x){ return x.name_html; }).join(', ') + '</b><br>' + n +
      ' events; click to list them, zoom in to separate' : d.tip;
    var user = items.some(function(x){ return x.user; });  // holds an event a user coded (dotted outline)
    var cls = 'atlas-pin' + (!many && d.kind === 'region' ? ' region' : '') + (!many && d.light ? ' light' : '') +
      (user ? ' user' : '');
    var colour = many ? '#333333' : d.colour;
    var icon = L.divIcon({className: 'atlas-place-icon', iconSize: null,
      html: '<div class="' + cls + '" style="--c:' + colour + '"><span>' + n + '</span></div>'});  // the count on a plain ground
    var m = L.marker([d.lat, d.lon], {icon: icon, keyboard: true, riseOnHover: true, title: label});
    m.bindTooltip(tip, {direction: 'auto', className: 'atlas-tip', opacity: 0.95});
    m.on('click', function(e){
      m.closeTooltip();
      // A pointer's click leaves no focus behind: focus opens the tooltip (Leaflet), so the iframe
      // regaining focus later (the reader back from the panel or another tab) would reopen it. A click
      // that assistive technology synthesises (detail 0) keeps the focus where the reader is.
      var el = m.getElement();
      if (el && el === document.activeElement && e.originalEvent && e.originalEvent.detail > 0) el.blur();
      window.atlasSelect(ref);
    });
    m.on('add', function(){
      var el = m.getElement(); if (!el) return;
      el.setAttribute('aria-label', label); el.setAttribute('role', 'button'); el.tabIndex = 0;
      el.classList.add('atlas-group'); el.dataset.ref = ref; el.dataset.count = n;
      if (user) el.classList.add('atlas-user');
      el.onkeydown = function(e){ if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); window.atlasSelect(ref); } };
    });
    return m;
  }
  function layout(){
    var map = group._map; if (!map) return;
    pins.clearLayers();
    var clusters = [];
    data.slice().sort(function(a, b){ return b.count - a.count; }).forEach(function(d){
      var p = map.latLngToLayerPoint([d.lat, d.lon]);
      var home = clusters.find(function(c){ return c.p.distanceTo(p) < SEP; });
      if (home) home.items.push(d); else clusters.push({p: p, items: [d]});
    });
    clusters.forEach(function(c){ pins.addLayer(make(c.items)); });
  }
  function attach(){ group._map.off('zoomend', layout); group._map.on('zoomend', layout); layout(); }
  group.on('add', attach);
  if (group._map) attach();
})();
{% endmacro %}""")

# Installed once in the Streamlit page (the component iframe is same-origin): Streamlit rewrites the
# page's URL from the query string it last heard from the server, which never holds the view (the
# view never reaches the server), so every URL Streamlit writes on the map's page gets the current
# view merged back in. ``window.__atlasView`` is "<path>?<view params>", a plain string so that it
# outlives a remounted iframe; a write for another page's path is left alone.
PAGE_HOOK = """
var KEYS = %s, h = window.history, push = h.pushState, replace = h.replaceState;
function key(part) { try { return decodeURIComponent(part.split('=')[0]); } catch (e) { return part; } }
function merge(url) {
  var v = window.__atlasView;
  if (typeof v !== 'string' || url === undefined || url === null) return url;
  var u = new URL(String(url), location.href), i = v.indexOf('?');
  if (u.pathname !== v.slice(0, i)) return url;
  var kept = u.search.slice(1).split('&').filter(function (p) { return p && KEYS.indexOf(key(p)) < 0; });
  u.search = kept.concat(v.slice(i + 1).split('&')).join('&');
  return u.pathname + u.search + u.hash;
}
h.pushState = function (state, title, url) {
  var m = merge(url);  // Streamlit pushes whenever its query string differs from the page's: not a new entry
  if (m !== undefined && m !== null && new URL(String(m), location.href).href === location.href) return replace.call(h, state, title, m);
  return push.call(h, state, title, m);
};
h.replaceState = function (state, title, url) { return replace.call(h, state, title, merge(url)); };
"""

_WORKSPACE = Template("""{% macro script(this, kwargs) %}
(function(){
  var map = {{ this._parent.get_name() }};
  var groups = window.atlasGroups || {};
  var KEYS = {{ this.params|tojson }}, ZOOM = {{ this.zoom_range|tojson }}, STORE = 'atlas-view';
  var mount = Math.random().toString(36).slice(2, 8), clicks = 0;
  // No tooltip from a finger: a tap sends mouseover, focus and click after it, and Leaflet opens the
  // tooltip on each, where it stays (no mouseout follows a tap; iOS even takes the first tap for the
  // hover). Tooltips are for a mouse's hover and the keyboard's focus; the tap selects, and the panel
  // says the rest. The last input decides: pointer events come before the mouse events a tap fakes.
  var input = 'mouse';
  function note(e){ input = e.type === 'keydown' ? 'keyboard' : (e.pointerType || 'mouse'); }
  ['pointerdown', 'pointermove', 'keydown'].forEach(function(t){ document.addEventListener(t, note, true); });
  document.addEventListener('touchstart', function(){ input = 'touch'; }, {capture: true, passive: true});
  var openTip = L.Layer.prototype.openTooltip;
  L.Layer.prototype.openTooltip = function(latlng){
    return input === 'touch' ? this : openTip.call(this, latlng);
  };
  // The Streamlit page that holds this iframe, when reachable (same origin): its URL keeps the view.
  var host = (function(){
    try {
      var p = window.parent;
      if (!p || p === window || !p.location.href) return null;
      if (!p.__atlasHook) { new p.Function({{ this.hook|tojson }})(); p.__atlasHook = true; }
      return p;
    } catch (e) { return null; }
  })();
  // A click (or a key) is the only thing this map reports to Python (returned_objects): the mount id and
  // a counter make every click new, also the first click in a remounted map.
  window.atlasSelect = function(ref){
    clicks += 1;
    var n = clicks, tries = 0;
    function send(){
      var g = window.__GLOBAL_DATA__;
      // Not set up yet (a click as the iframe starts): wait for it rather than drop the click.
      if (!g) { if (++tries < 100) setTimeout(send, 50); return; }
      g.last_object_clicked_tooltip = mount + '.' + n + ' [' + ref + ']';
      map.fire('moveend');  // streamlit-folium sends its value on moveend
    }
    setTimeout(send, 0);  // after the click's own handlers (a moveend fired inside them is not sent)
  };
  function number(s){ if (s === null || !s.trim()) return null; var x = Number(s); return isFinite(x) ? x : null; }
  function parse(search){
    var q = new URLSearchParams(search || ''), z = number(q.get('zoom')), lat = number(q.get('lat')), lon = number(q.get('lon'));
    z = z === null ? null : Math.trunc(z);
    var ok = z !== null && z >= ZOOM[0] && z <= ZOOM[1] && lat !== null && Math.abs(lat) <= 90 && lon !== null && Math.abs(lon) <= 180;
    return {any: KEYS.some(function(k){ return q.has(k); }), view: ok ? [z, lat, lon] : null,
            layers: q.has('layers') ? q.get('layers').split(',').filter(function(k){ return groups.hasOwnProperty(k); }) : null};
  }
  function visible(){ return Object.keys(groups).filter(function(k){ return map.hasLayer(groups[k]); }); }
  function params(){
    var c = map.getCenter();
    return 'zoom=' + map.getZoom() + '&lat=' + (+c.lat.toFixed(4)) + '&lon=' + (+c.lng.toFixed(4)) + '&layers=' + visible().join(',');
  }
  function save(){
    if (!host) return;
    var p = params();
    host.__atlasView = host.location.pathname + '?' + p;
    try { host.sessionStorage.setItem(STORE, p); } catch (e) {}
    host.history.replaceState(host.history.state, '', host.location.pathname + host.location.search + host.location.hash);
  }
  // The view the URL holds; a URL without one (a link that left it out) gets this tab's last view.
  var start = parse(host ? host.location.search : '');
  if (!start.any && host) { try { start = parse(host.sessionStorage.getItem(STORE)); } catch (e) {} }
  if (start.layers !== null) {
    Object.keys(groups).forEach(function(k){
      var on = start.layers.indexOf(k) >= 0;
      if (on && !map.hasLayer(groups[k])) map.addLayer(groups[k]);
      if (!on && map.hasLayer(groups[k])) map.removeLayer(groups[k]);
    });
  }
  if (start.view) map.setView([start.view[1], start.view[2]], start.view[0], {animate: false});
  if (start.view || start.layers !== null) save();
  map.on('moveend overlayadd overlayremove', save);
  // Leaflet focuses the map on a press (its keyboard handler) with a plain focus(), which scrolls the
  // page to bring the whole iframe into view: with the page scrolled so that the map's top was out of
  // view, the press and the release then landed in different places and the click was lost (every
  // time, in Chromium, at 1440x900 with the page scrolled 150 or 300 px). Focused here first, without
  // scrolling, Leaflet's handler finds the map focused and does nothing.
  var box = map.getContainer();
  box.addEventListener('mousedown', function(){
    if (document.activeElement !== box) box.focus({preventScroll: true});
  }, true);
  // Paths are selected with the mouse; the keyboard reaches the place markers. No focus box on a click.
  map.getPane('overlayPane').addEventListener('mousedown', function(e){ if (e.target.blur) setTimeout(function(){ e.target.blur(); }, 0); });
  var legend = L.control({position: 'topleft'});
  legend.onAdd = function(){
    var div = L.DomUtil.create('div', 'atlas-legend');
    div.innerHTML = {{ this.legend|tojson }};
    if (map.getSize().x < 1000) div.querySelector('details').removeAttribute('open');
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  legend.addTo(map);
  // "Copy link": the page's URL as it is now (filters, day, selection, and the view just saved).
  var share = L.control({position: 'bottomright'});
  share.onAdd = function(){
    var div = L.DomUtil.create('div', 'atlas-share');
    div.innerHTML = '<button type="button" class="atlas-share-button">Copy link</button>' +
      '<input class="atlas-share-url" readonly hidden aria-label="Link to this view"><span class="atlas-share-note" role="status"></span>';
    var button = div.querySelector('button'), input = div.querySelector('input'), note = div.querySelector('span');
    button.title = 'Copy a link to this view: filters, day, zoom, centre, layers and selection';
    button.onclick = function(){
      save();
      var url = host ? host.location.href : '';
      input.value = url; input.hidden = false; input.focus(); input.select();
      function done(ok){ note.textContent = ok ? 'Link copied' : 'Press Ctrl+C to copy'; }
      function fallback(){ try { done(document.execCommand('copy')); } catch (e) { done(false); } }
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).then(function(){ done(true); }, fallback);
      else fallback();
    };
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  share.addTo(map);
})();
{% endmacro %}""")


class GroupRegistry(MacroElement):
    """Registers every FeatureGroup with an ``atlasKey`` option in ``window.atlasGroups``.

    Added to the map before the groups: hidden groups are never on the map, so only a hook on
    their creation (a wrapper around ``L.featureGroup``) finds them.
    """

    _template = Template("""{% macro script(this, kwargs) %}
window.atlasGroups = {};
(function(make){
  // folium passes a FeatureGroup's options as Leaflet's first argument (the layers): read the key there.
  L.featureGroup = function(first, second){
    var g = make(first, second);
    if (first && first.atlasKey) window.atlasGroups[first.atlasKey] = g;
    return g;
  };
})(L.featureGroup);
{% endmacro %}""")

    def __init__(self):
        super().__init__()
        self._name = "GroupRegistry"


class PlaceMarkers(MacroElement):
    """One marker per place group, added to the parent FeatureGroup.

    Badges that would overlap at the current zoom (closer than ``min_px``) are drawn as one,
    with the sum of their counts, selecting ``groups:<id>+<id>...`` (the panel lists them all);
    they separate as the reader zooms in, so at no zoom does one badge hide another.

    Parameters
    ----------
    data : list of dict
        ``{ref, lat, lon, count, name, name_html, label, tip, colour, light, kind, user}`` per marker;
        ``tip`` and ``name_html`` are escaped HTML, ``name`` and ``label`` plain text (set as
        attributes by the DOM, never parsed as HTML).
    min_px : int
        The smallest distance between two badges' centres, in pixels.
    """

    _template = _PINS

    def __init__(self, data: list[dict], min_px: int = 28):
        super().__init__()
        self._name = "PlaceMarkers"
        self.data = data
        self.min_px = int(min_px)


class Workspace(MacroElement):
    """Selection, view and layer state in the page's URL, the legend and "Copy link" (see the module docstring).

    Parameters
    ----------
    legend : str
        The legend's HTML (:func:`legend_html`).
    """

    _template = _WORKSPACE

    def __init__(self, legend: str):
        super().__init__()
        self._name = "Workspace"
        self.legend = legend
        self.params = list(VIEW_PARAMS)
        self.zoom_range = list(ZOOM_RANGE)
        self.hook = PAGE_HOOK % json.dumps(list(VIEW_PARAMS))


def legend_html(type_colours: dict[str, str], present: list[str]) -> str:
    """The map legend: event types present (in words), place precision, line styles."""
    types = '<div class="types">' + "".join(
        f'<div><i style="background:{type_colours[t]}"></i>{html_text(type_label(t))}</div>'
        for t in present if t in type_colours) + "</div>"
    return (
        '<details open><summary>Legend</summary>'
        '<div><b>Events</b>: a badge per place with its count; colour: type (dark: several)</div>' + types +
        '<div><i class="sq"></i>region level (drawn as a region, not a city)</div>'
        '<div>Country level: the <b>Nationwide</b> list beside the map</div>'
        '<div><span class="ln"></span>troops, named places</div>'
        '<div><span class="ln dash"></span>troops, stand-in end (e.g. a capital for a country)</div>'
        '<div><span class="ln" style="border-color:#4575b4"></span>land border, by neighbour</div>'
        '</details>'
    )
