/* The interactive relationship graph (Cytoscape.js, vendored in static/vendor/).

   Each <figure class="graph-figure" data-graph="..."> holds the server-drawn SVG, which
   stays the drawing where this script does not run. Here the figure's JSON
   (website.views.graph_data: the same graph, labels and positions as the SVG) is drawn
   with Cytoscape in its place: zoom, pan, drag, a node's ties highlighted on hover or
   focus, a node opening its page when selected, a year slider and, on the graph's page,
   its filters, all without a page load.

   The SVG stays in the page, out of sight, as the keyboard's way in: its links keep their
   place in the tab order, and the node whose link has the focus is highlighted.

   No inline script or style: the Content-Security-Policy forbids both. Cytoscape sizes
   its canvases through the style object (CSSOM), which the policy allows.

   The Cytoscape instance of a figure is its canvas element's `cytoscape` property, for the
   browser tests (tests/browser/test_graph.py) and the console. */
(function () {
  "use strict";

  var COLOURS = { organization: "#1f5fa8", network: "#a4480b", program: "#1c6b3a" };
  var SHAPES = { organization: "ellipse", network: "rectangle", program: "diamond" };
  var FONTS = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", ' +
    '"Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  // The node sizes and label places of networks/graph/layout.py (node_radius, node_box).
  function diameter(node) {
    var radius = node.data("centre") ? 14 : 9;
    return 2 * radius * (node.data("kind") === "program" ? 1.3 : 1);
  }

  var STYLE = [
    {
      selector: "node",
      style: {
        "background-color": function (node) { return COLOURS[node.data("kind")]; },
        shape: function (node) { return SHAPES[node.data("kind")]; },
        width: diameter,
        height: diameter,
        label: "data(label)",
        "font-family": FONTS,
        "font-size": 11,
        color: "#1a1a1a",
        "text-valign": "bottom",
        "text-halign": "center",
        "text-margin-y": 3,
        "text-wrap": "ellipsis",
        "text-max-width": function (node) { return node.data("label_width") + 2; },
        "min-zoomed-font-size": 7,
        "overlay-padding": 4,
        "border-width": 0
      }
    },
    { selector: "node[?centre]", style: { "font-weight": "bold" } },
    {
      selector: "edge",
      style: {
        width: 1.5,
        "line-color": "#8a94a3",
        "curve-style": "straight",
        "font-family": FONTS,
        "font-size": 10,
        "text-rotation": "autorotate",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.9,
        "text-background-padding": 2,
        "min-zoomed-font-size": 8
      }
    },
    { selector: "edge[!start]", style: { "line-style": "dashed", "line-dash-pattern": [5, 4] } },
    { selector: ".faded", style: { opacity: 0.2 } },
    { selector: "node.highlighted", style: { "border-width": 3, "border-color": "#ffbf47" } },
    { selector: "edge.highlighted", style: { width: 2.5, "line-color": "#4a4a4a", label: "data(caption)" } }
  ];

  function caption(edge) {
    if (!edge.start && !edge.end) return edge.label;
    return edge.label + " (" + (edge.start || "?") + "\u2013" + (edge.end || "") + ")";
  }

  function elements(data) {
    var nodes = data.nodes.map(function (node) {
      return { group: "nodes", data: node, position: { x: node.x, y: node.y } };
    });
    var edges = data.edges.map(function (edge) {
      var copy = Object.assign({}, edge, { caption: caption(edge) });
      if (!copy.start) delete copy.start; // edge[!start] draws it dashed
      return { group: "edges", data: copy };
    });
    return nodes.concat(edges);
  }

  function Graph(figure) {
    this.figure = figure;
    this.address = figure.getAttribute("data-graph");
    this.canvas = figure.querySelector(".graph-canvas");
    this.svg = figure.querySelector("svg.graph");
    this.status = figure.querySelector("[data-status]");
    this.slider = figure.querySelector("[data-year]");
    this.output = figure.querySelector("[data-year-output]");
    this.form = document.querySelector("form[data-graph-filters]");
    this.request = 0;
  }

  Graph.prototype.fetch = function (address) {
    var number = ++this.request;
    var self = this;
    this.figure.setAttribute("data-graph-state", "loading");
    return window.fetch(address, { headers: { Accept: "application/json" } }).then(
      function (response) {
        return response.json().then(function (body) {
          if (number !== self.request) return null; // a later request has taken over
          if (!response.ok) {
            self.showErrors(body.errors || [body.detail]);
            self.figure.setAttribute("data-graph-state", "error");
            return null;
          }
          self.showErrors([]);
          return body;
        });
      }
    );
  };

  Graph.prototype.start = function () {
    var self = this;
    var year = this.form ? this.form.elements.year.value : "";
    return this.fetch(this.withYear(this.address, "")).then(function (data) {
      if (!data) return;
      self.canvas.hidden = false;
      self.figure.classList.add("graph-interactive");
      self.figure.querySelector(".graph-controls").hidden = false;
      self.figure.querySelector(".graph-help").hidden = false;
      self.status.hidden = false;
      self.canvas.style.aspectRatio = data.width + " / " + data.height;
      self.cy = window.cytoscape({
        container: self.canvas,
        elements: elements(data),
        style: STYLE,
        layout: { name: "preset", fit: true, padding: 12 },
        minZoom: 0.2,
        maxZoom: 4,
        boxSelectionEnabled: false,
        autoungrabify: false
      });
      self.canvas.cytoscape = self.cy;
      self.bind();
      self.setYears(data.first_year, year);
      if (year) return self.showYear(year);
      self.ready();
    });
  };

  Graph.prototype.ready = function () {
    this.figure.setAttribute("data-graph-state", "ready");
  };

  Graph.prototype.bind = function () {
    var self = this;
    var cy = this.cy;
    cy.on("mouseover", "node", function (event) { self.highlight(event.target); });
    cy.on("mouseout", "node", function () { self.highlight(null); });
    cy.on("tap", "node", function (event) { window.location.assign(event.target.data("url")); });
    this.figure.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () { self.zoom(button.getAttribute("data-zoom")); });
    });
    // The SVG's links, out of sight, keep the keyboard's way through the nodes.
    this.svg.addEventListener("focusin", function (event) {
      var link = event.target.closest("a.node");
      if (link) self.highlight(cy.getElementById(link.getAttribute("data-key")), true);
    });
    this.svg.addEventListener("focusout", function () { self.highlight(null); });
    if (this.slider) {
      var timer = null;
      this.slider.addEventListener("input", function () {
        self.sayYear();
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { self.showYear(self.yearChosen()); }, 120);
      });
    }
    if (this.form) {
      this.form.addEventListener("change", function (event) {
        if (event.target.name !== "year") self.refilter();
      });
      this.form.addEventListener("submit", function (event) {
        event.preventDefault();
        self.refilter();
      });
    }
  };

  Graph.prototype.highlight = function (node, centred) {
    var cy = this.cy;
    cy.elements().removeClass("faded highlighted");
    if (!node || node.empty()) {
      this.canvas.removeAttribute("title");
      this.status.textContent = "";
      return;
    }
    var near = node.closedNeighborhood();
    cy.elements().not(near).addClass("faded");
    near.addClass("highlighted");
    this.canvas.setAttribute("title", node.data("name"));
    this.status.textContent = node.data("name") + (node.data("country") ? " (" + node.data("country") + ")" : "") +
      near.edges().map(function (edge) { return " \u00b7 " + edge.data("caption"); }).join("");
    if (centred) {
      var place = node.renderedPosition();
      if (place.x < 0 || place.y < 0 || place.x > cy.width() || place.y > cy.height()) cy.center(node);
    }
  };

  Graph.prototype.zoom = function (how) {
    var cy = this.cy;
    if (how === "fit") {
      cy.fit(undefined, 12);
      return;
    }
    var level = cy.zoom() * (how === "in" ? 1.4 : 1 / 1.4);
    cy.zoom({ level: level, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  // The year slider: from the first year a tie is dated from to this year, and one step
  // beyond it for every year (undated ties included). Hidden where no tie is dated.
  Graph.prototype.setYears = function (first, chosen) {
    if (!this.slider || !first) return;
    var last = new Date().getFullYear();
    this.slider.min = String(Math.min(first, last));
    this.slider.max = String(last + 1);
    this.slider.value = chosen ? String(chosen) : this.slider.max;
    this.slider.closest(".graph-year").hidden = false;
    if (this.form) this.form.querySelector(".graph-year-field").hidden = true;
    this.sayYear();
  };

  Graph.prototype.yearChosen = function () {
    return this.slider.value === this.slider.max ? "" : this.slider.value;
  };

  Graph.prototype.sayYear = function () {
    var year = this.yearChosen();
    var text = year ? this.figure.getAttribute("data-in-year").replace("{year}", year)
      : this.figure.getAttribute("data-all-years");
    this.output.textContent = text;
    this.slider.setAttribute("aria-valuetext", text);
  };

  Graph.prototype.withYear = function (address, year) {
    var url = new URL(address, window.location.href);
    if (year) url.searchParams.set("year", year); else url.searchParams.delete("year");
    return url.pathname + url.search;
  };

  // A year keeps every node where it is (the server places the graph of every year) and
  // changes only which ties and nodes are drawn.
  Graph.prototype.showYear = function (year) {
    var self = this;
    if (this.form) this.form.elements.year.value = year;
    return this.fetch(this.withYear(this.address, year)).then(function (data) {
      if (!data) return;
      self.cy.batch(function () {
        self.cy.elements().remove();
        self.cy.add(elements(data));
      });
      self.figure.setAttribute("data-graph-year", year);
      self.remember();
      self.ready();
    });
  };

  // The graph page's filters: a new graph, laid out anew by the server, and the address
  // that shows it.
  Graph.prototype.refilter = function () {
    var self = this;
    var query = new URLSearchParams();
    ["network", "kind", "country"].forEach(function (name) {
      var value = self.form.elements[name].value;
      if (value) query.set(name, value);
    });
    var base = new URL(this.address, window.location.href);
    this.address = base.pathname + (query.toString() ? "?" + query : "");
    var year = this.slider ? this.yearChosen() : "";
    return this.fetch(this.withYear(this.address, "")).then(function (data) {
      if (!data) return;
      self.canvas.style.aspectRatio = data.width + " / " + data.height;
      self.setYears(data.first_year, year);
      if (year) return self.showYear(year);
      self.cy.batch(function () {
        self.cy.elements().remove();
        self.cy.add(elements(data));
      });
      self.cy.resize();
      self.cy.fit(undefined, 12);
      self.remember();
      self.ready();
    });
  };

  Graph.prototype.remember = function () {
    if (!this.form) return;
    var query = new URLSearchParams(new URL(this.address, window.location.href).search);
    var year = this.slider ? this.yearChosen() : "";
    if (year) query.set("year", year);
    window.history.replaceState(null, "", window.location.pathname + (query.toString() ? "?" + query : ""));
  };

  Graph.prototype.showErrors = function (errors) {
    var box = document.querySelector(".errors[data-graph-errors]");
    if (!errors.length) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.className = "errors";
      box.setAttribute("role", "alert");
      box.setAttribute("data-graph-errors", "");
      this.figure.parentNode.insertBefore(box, this.figure);
    }
    var list = document.createElement("ul");
    errors.forEach(function (error) {
      var item = document.createElement("li");
      item.textContent = error;
      list.appendChild(item);
    });
    box.replaceChildren(list);
  };

  if (!window.cytoscape || !window.fetch) return; // the SVG stays
  // Cytoscape adds a <style> element giving its container `position: relative` unless an
  // element with this id is in the page already; the policy refuses such an element, so
  // the rule is in site.css (.graph-canvas) and this empty element stands for the
  // stylesheet (the way cytoscape/cytoscape.js#2318 suggests).
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    var mark = document.createElement("meta");
    mark.id = "__________cytoscape_stylesheet";
    document.head.appendChild(mark);
  }
  document.querySelectorAll("figure.graph-figure[data-graph]").forEach(function (figure) {
    new Graph(figure).start();
  });
})();
