// Skill suggestions for the need form: a finder under each skill list offers the vocabulary's
// labels (a <datalist>) and adds the chosen one as a new line. Without JavaScript the finders
// stay hidden and the lists are typed by hand.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var language = document.documentElement.lang;

  function suggest(url, text, list) {
    fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      credentials: "same-origin",
      body: JSON.stringify({text: text, limit: 8})
    }).then(function (response) {
      return response.ok ? response.json() : {items: []};
    }).then(function (body) {
      list.replaceChildren.apply(list, body.items.map(function (item) {
        var option = document.createElement("option");
        option.value = item.labels[language] || item.labels.en;
        return option;
      }));
    }).catch(function () { /* no suggestions; typing still works */ });
  }

  function add(finder, input) {
    var target = document.getElementById(finder.dataset.target);
    var skill = input.value.trim();
    if (!skill) { return; }
    var text = target.value.replace(/\s+$/, "");
    target.value = text ? text + "\n" + skill : skill;
    finder.querySelector("[aria-live]").textContent = finder.dataset.added + " " + skill;
    input.value = "";
    input.focus();
  }

  document.querySelectorAll(".skill-finder").forEach(function (finder) {
    var input = finder.querySelector("input");
    var list = finder.querySelector("datalist");
    var timer = null;
    finder.hidden = false;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length >= 2) { timer = setTimeout(function () { suggest(finder.dataset.url, text, list); }, 200); }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); add(finder, input); }
    });
    finder.querySelector("button").addEventListener("click", function () { add(finder, input); });
  });
})();
