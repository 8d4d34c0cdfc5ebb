// The intake screen: add household rows from the formset's empty form, and
// check each ID number as soon as it is typed (checksum, age and sex, an
// application already holding it). The server checks everything again on save.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) return;
  var total = form.querySelector("[name='members-TOTAL_FORMS']");
  var rows = document.getElementById("member-rows");
  var template = document.getElementById("member-template");
  var csrf = form.querySelector("[name='csrfmiddlewaretoken']").value;

  document.getElementById("add-member").addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = rows.lastElementChild;
    var first = added && added.querySelector("input[type='text']");
    if (first) first.focus();
  });

  function show(output, data) {
    output.textContent = "";
    var line = document.createElement("span");
    if (!data.valid) {
      line.textContent = "✗ " + data.error;
      output.appendChild(line);
      return;
    }
    line.textContent = "✓ " + form.dataset.okWords.replace("{age}", data.age).replace("{sex}", data.sex);
    output.appendChild(line);
    data.existing.forEach(function (hit) {
      var item = document.createElement("span");
      item.setAttribute("data-testid", "id-check-existing");
      item.textContent = " ⚠ " + form.dataset.existingWords
        .replace("{place}", hit.place).replace("{status}", hit.status)
        .replace("{date}", hit.opened_on) + " ";
      output.appendChild(document.createElement("br"));
      output.appendChild(item);
      if (hit.url) {
        var link = document.createElement("a");
        link.href = hit.url;
        link.textContent = hit.receipt_number;
        item.appendChild(link);
      }
    });
  }

  function check(input) {
    var output = form.querySelector("[data-id-check-for='" + input.id + "']");
    if (!output || !input.value.trim()) return;
    var body = new URLSearchParams({ id_number: input.value });
    fetch(form.dataset.idCheckUrl, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": csrf },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) show(output, data); })
      .catch(function () { /* the server checks again on save */ });
  }

  form.addEventListener("change", function (event) {
    var name = event.target.name || "";
    if (name === "id_number" || /^members-\d+-id_number$/.test(name)) check(event.target);
  });

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
