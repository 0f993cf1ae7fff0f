"""The demo portal: a loopback imitation of county disclosure portals, reports rendered from known figures."""
