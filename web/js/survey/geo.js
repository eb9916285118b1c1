// Just enough geometry for the areas in a survey definition (GeoJSON Polygons
// and MultiPolygons in lon/lat): which area a point lies in, and a point
// inside an area to stand for it when a person picks the area by name.

function polygons(geometry) {
  if (geometry?.type === "Polygon") return [geometry.coordinates];
  if (geometry?.type === "MultiPolygon") return geometry.coordinates;
  return [];
}

function inRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(point, [outer, ...holes]) {
  return inRing(point, outer) && !holes.some((hole) => inRing(point, hole));
}

// The feature of `areas` containing [lon, lat], or undefined outside them all.
export function areaAt(areas, point) {
  return areas.features.find((f) => polygons(f.geometry).some((p) => inPolygon(point, p)));
}

// The area-weighted centroid of the largest polygon of an area; if a concave
// shape puts it outside, the middle of the widest horizontal chord through
// the polygon's middle latitude instead, which is always inside.
export function pointInside(feature) {
  const parts = polygons(feature.geometry).map(([outer]) => {
    let area = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
      const [x0, y0] = outer[j];
      const [x1, y1] = outer[i];
      const cross = x0 * y1 - x1 * y0;
      area += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
    return { outer, area: Math.abs(area / 2), centroid: [cx / (3 * area), cy / (3 * area)] };
  });
  const largest = parts.sort((a, b) => b.area - a.area)[0];
  if (!largest) return undefined;
  if (areaAt({ features: [feature] }, largest.centroid)) return largest.centroid;
  const y = largest.centroid[1];
  const crossings = [];
  const ring = largest.outer;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y) crossings.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
  }
  crossings.sort((a, b) => a - b);
  let best = largest.centroid;
  let widest = -1;
  for (let k = 0; k + 1 < crossings.length; k += 2) {
    if (crossings[k + 1] - crossings[k] > widest) {
      widest = crossings[k + 1] - crossings[k];
      best = [(crossings[k] + crossings[k + 1]) / 2, y];
    }
  }
  return best;
}
