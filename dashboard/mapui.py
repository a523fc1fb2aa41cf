"""What the atlas map does in the browser: place markers, selection, view and layer state, legend.

The map's script is cached per filtered view; everything that changes while a reader works
(zoom, centre, visible layers) is *not* in it, so panning or toggling a layer never remounts
the map. Instead:

* :class:`PlaceMarkers` draws one keyboard-reachable marker per place group (a count in a
  badge, an accessible name, Enter or Space selects it).
* :class:`Workspace` defines ``window.atlasSelect(ref)``: a click (or a key) hands the
  feature's reference to streamlit-folium as ``last_object_clicked_tooltip`` (``"<n> [ref]"``,
  a counter so a second click on the same marker still counts); tooltips themselves carry no
  reference. It restores the view and the visible layers from ``<meta>`` tags that
  :func:`view_meta` puts in the map's header for each run (the header is not part of the
  map's identity, so it never remounts it), and reports the visible layers as
  ``selected_tags`` (``["@layers", key, ...]``) with every overlay change.
* :func:`legend_html`: event types in words, place precision and line styles.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

from dashboard.escape import html_text
from geodata.places import type_label

__all__ = ["CSS", "GroupRegistry", "LAYERS_TAG", "PlaceMarkers", "Workspace", "legend_html", "view_meta"]

LAYERS_TAG = "@layers"
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
.atlas-pin.region{border-radius:3px;border:2px dashed #333;background:repeating-linear-gradient(45deg,#fff,#fff 3px,var(--c) 3px,var(--c) 6px);color:#111;text-shadow:0 0 2px #fff}
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
      html: '<div class="' + cls + '" style="--c:' + colour + '">' + n + '</div>'});
    var m = L.marker([d.lat, d.lon], {icon: icon, keyboard: true, riseOnHover: true, title: label});
    m.bindTooltip(tip, {direction: 'auto', className: 'atlas-tip', opacity: 0.95});
    m.on('click', function(){ m.closeTooltip(); window.atlasSelect(ref); });
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

_WORKSPACE = Template("""{% macro script(this, kwargs) %}
(function(){
  var map = {{ this._parent.get_name() }};
  var clicks = 0;
  function meta(name){ var el = document.querySelector('meta[name="' + name + '"]'); return el ? el.content : null; }
  function report(){ map.fire('moveend'); }
  window.atlasSelect = function(ref){
    clicks += 1;
    setTimeout(function(){
      var g = window.__GLOBAL_DATA__; if (!g) return;
      g.last_object_clicked_tooltip = clicks + ' [' + ref + ']'; report();
    }, 0);
  };
  var groups = window.atlasGroups || {};
  var wanted = meta('atlas-layers');
  if (wanted !== null) {
    var keep = wanted ? wanted.split(',') : [];
    Object.keys(groups).forEach(function(k){
      var on = keep.indexOf(k) >= 0;
      if (on && !map.hasLayer(groups[k])) map.addLayer(groups[k]);
      if (!on && map.hasLayer(groups[k])) map.removeLayer(groups[k]);
    });
  }
  var view = meta('atlas-view');
  if (view) { var v = view.split(','); map.setView([+v[1], +v[2]], +v[0], {animate: false}); }
  function visible(){ return ['{{ this.tag }}'].concat(Object.keys(groups).filter(function(k){ return map.hasLayer(groups[k]); })); }
  function layersChanged(){ var g = window.__GLOBAL_DATA__; if (g) { g.selected_tags = visible(); report(); } }
  map.on('overlayadd overlayremove', layersChanged);
  setTimeout(function(){ var g = window.__GLOBAL_DATA__; if (g) g.selected_tags = visible(); }, 0);
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
    """Selection, view and layer state, and the legend, for one map (see the module docstring)."""

    _template = _WORKSPACE

    def __init__(self, legend: str):
        super().__init__()
        self._name = "Workspace"
        self.legend = legend
        self.tag = LAYERS_TAG


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


def view_meta(fmap: folium.Map, *, zoom: int | None, lat: float | None, lon: float | None,
              layers: tuple[str, ...] | None) -> None:
    """Put this run's view and visible layers in the map's header (read once when the map mounts)."""
    header = fmap.get_root().header
    if zoom is not None and lat is not None and lon is not None:
        header.add_child(folium.Element(f'<meta name="atlas-view" content="{int(zoom)},{float(lat):.5f},{float(lon):.5f}">'))
    if layers is not None:
        content = html_text(",".join(layers))
        header.add_child(folium.Element(f'<meta name="atlas-layers" content="{content}">'))

