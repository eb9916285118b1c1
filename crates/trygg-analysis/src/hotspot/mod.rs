//! Hotspots of unsafe places: density clusters, hexagon bins with Gi* significance and heat surfaces.
