/* Visit registration at the window, keyboard first.
 *
 * Enter moves to the next field to fill (search → name → phone → ID number → address → summary) and never
 * submits; Ctrl+Enter saves; Alt+letter jumps (see the key line on the page). The search box picks a
 * returning person (↑↓ + Enter, or a number key when the query is not a number). The ID number is checked as
 * typed (GB 11643 check digit, birth date); the server checks everything again.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-intake]");
  if (!form) return;

  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";
  var MOBILE = /^1[3-9]\d{9}$/;
  var LANDLINE = /^(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,6})?$/;
  var SERVICE = /^(1\d{2,4}|9\d{4})$/;
  var search = document.getElementById("intake-search");
  var results = document.getElementById("person-results");
  var save = form.querySelector("[data-role=save]");
  var matters = form.querySelector("[data-role=matters]");
  var active = -1;

  function field(name) { return form.querySelector("[name='" + name + "']"); }
  function all(selector, root) { return Array.prototype.slice.call((root || form).querySelectorAll(selector)); }
  function shown(el) { return !el.disabled && el.getClientRects().length > 0; }

  // --- Enter and hot keys --------------------------------------------------------------------------------

  function nextStop(from) {
    var stops = all("[data-enter-stop]").filter(shown);
    for (var i = 0; i < stops.length; i++) {
      if (from.compareDocumentPosition(stops[i]) & Node.DOCUMENT_POSITION_FOLLOWING) return stops[i];
    }
    return save;
  }

  function currentMatter() {
    var here = document.activeElement && document.activeElement.closest("[data-matter]");
    var blocks = all("[data-matter]", matters);
    return here || blocks[blocks.length - 1];
  }

  function submit() {
    if (form.dataset.sending) return;
    if (form.requestSubmit) form.requestSubmit(save); else save.click();
  }

  var HOTKEYS = {
    q: function () { return search; },
    n: function () { return field("name"); },
    p: function () { return field("phone"); },
    i: function () { return field("id_number"); },
    g: function () { return form.querySelector("[data-role=group]"); },
    w: function () { return form.querySelector("[data-role=channel]:checked") || form.querySelector("[data-role=channel]"); },
    k: function () { return currentMatter().querySelector("[data-role=kind]"); },
    s: function () { return currentMatter().querySelector("[data-role=summary]"); },
    a: function () { return currentMatter().querySelector("[data-role=answer]"); },
    j: function () { addMatter(); return null; }
  };

  // Keys typed into an input method (pinyin) belong to it: Enter and digits there choose characters.
  function composing(e) { return e.isComposing || e.keyCode === 229; }

  form.addEventListener("keydown", function (e) {
    var t = e.target;
    if (composing(e)) return;
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
      return;
    }
    if (e.key !== "Enter" || e.altKey || e.shiftKey || t === search) return;
    if ((t.tagName === "INPUT" && t.type !== "submit" && t.type !== "button") || t.tagName === "SELECT") {
      e.preventDefault(); // never submit half a form by accident
      nextStop(t).focus();
    }
  });

  document.addEventListener("keydown", function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey || !e.code || e.code.indexOf("Key") !== 0) return;
    var jump = HOTKEYS[e.code.slice(3).toLowerCase()];
    if (!jump) return;
    e.preventDefault();
    var target = jump();
    if (target) target.focus();
  });

  // Digits pick a channel while the channel radios have focus.
  form.addEventListener("keydown", function (e) {
    if (composing(e) || !e.target.matches("[data-role=channel]") || !/^[1-9]$/.test(e.key)) return;
    var radio = all("[data-role=channel]")[Number(e.key) - 1];
    if (radio) { e.preventDefault(); radio.checked = true; radio.focus(); }
  });

  form.addEventListener("submit", function (e) {
    if (form.dataset.sending) { e.preventDefault(); return; }
    form.dataset.sending = "1";
    save.disabled = true;
    save.textContent = "正在保存…";
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) { delete form.dataset.sending; save.disabled = false; }
  });

  // --- live checks ---------------------------------------------------------------------------------------

  // "Today" is the server's (lawdesk.core.clock, on <html data-today>), never the desk computer's own clock.
  function pageToday() {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(document.documentElement.getAttribute("data-today") || "");
    return m ? new Date(+m[1], +m[2] - 1, +m[3]) : null;
  }

  function idInfo(raw) {
    var v = raw.replace(/\s/g, "").toUpperCase();
    if (!v) return null;
    if (v.length < 18 && /^\d*$/.test(v)) return { ok: null, text: "已输入" + v.length + "位，共18位" };
    if (!/^\d{17}[\dX]$/.test(v)) return { ok: false, text: "身份证号码应为18位：前17位是数字，最后一位是数字或X。" };
    var y = +v.slice(6, 10), m = +v.slice(10, 12), d = +v.slice(12, 14);
    var birth = new Date(y, m - 1, d);
    if (birth.getFullYear() !== y || birth.getMonth() !== m - 1 || birth.getDate() !== d) {
      return { ok: false, text: "身份证号码中的出生日期“" + v.slice(6, 14) + "”不存在。" };
    }
    var today = pageToday();
    if ((today && birth > today) || y < 1890) return { ok: false, text: "身份证号码中的出生日期不合理。" };
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += Number(v[i]) * WEIGHTS[i];
    if (CHECK[sum % 11] !== v[17]) return { ok: false, text: "身份证号码校验位不正确，请核对是否输错。" };
    var age = today ? today.getFullYear() - y - ((today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d)) ? 1 : 0) : null;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return {
      ok: true, age: age,
      text: "出生日期 " + y + "-" + pad(m) + "-" + pad(d) + (age === null ? "" : " · " + age + "岁") + " · " + (Number(v[16]) % 2 ? "男" : "女")
    };
  }

  function say(el, info) {
    el.textContent = info ? info.text : "";
    el.classList.toggle("ok", !!info && info.ok === true);
    el.classList.toggle("bad", !!info && info.ok === false);
  }

  function checkId() {
    var info = idInfo(field("id_number").value);
    // The server's message stands until the number is changed; do not say the same thing twice.
    if (info && !info.ok && form.querySelector("[data-error-for=id_number]")) info = null;
    if (info && info.ok && info.age !== null && info.age >= 60) {
      var elderly = form.querySelector("[data-role=group][value=elderly]");
      if (elderly && !elderly.checked) info.text += "（60岁以上，可勾选“老年人”）";
    }
    say(form.querySelector("[data-role=id-info]"), info);
    var genderRow = form.querySelector("[data-role=gender-row]");
    if (genderRow) genderRow.hidden = !!(info && info.ok) || organisationChosen();
  }

  function checkPhone() {
    var v = field("phone").value.replace(/\s/g, "");
    var done = v.length >= 11 || /[^\d]/.test(v) && !/^[\d-]+$/.test(v);
    var ok = MOBILE.test(v) || LANDLINE.test(v) || SERVICE.test(v);
    say(form.querySelector("[data-role=phone-info]"),
        v && done && !ok ? { ok: false, text: "电话号码格式不正确：应为11位手机号、带区号的固定电话或12348等服务热线。" } : null);
  }

  // A server message is about what was posted: it goes as soon as the field is changed.
  form.addEventListener("input", function (e) {
    if (!e.target.name) return;
    all("[data-error-for='" + e.target.name + "']").forEach(function (el) { el.remove(); });
    e.target.removeAttribute("aria-invalid");
  }, true);
  field("id_number").addEventListener("input", checkId);
  field("phone").addEventListener("input", checkPhone);
  field("phone").addEventListener("blur", function () {
    var v = field("phone").value.replace(/\s/g, "");
    if (v && !(MOBILE.test(v) || LANDLINE.test(v) || SERVICE.test(v))) {
      say(form.querySelector("[data-role=phone-info]"), { ok: false, text: "电话号码格式不正确：应为11位手机号、带区号的固定电话或12348等服务热线。" });
    }
  });

  // --- matter blocks -------------------------------------------------------------------------------------

  function vulnerable() { return all("[data-role=group]").some(function (b) { return b.checked; }); }

  function refreshBlock(block) {
    var kind = block.querySelector("[data-role=kind]").value;
    all("[data-show-kind]", block).forEach(function (el) { el.hidden = el.dataset.showKind !== kind; });
    block.querySelector("[data-role=one-trip-row]").hidden = !vulnerable();
  }

  function renumber() {
    all("[data-matter]", matters).forEach(function (block, i) {
      block.querySelector("[data-role=matter-no]").textContent = String(i + 1);
      block.querySelector("[data-action=remove-matter]").hidden = i === 0;
    });
  }

  function addMatter() {
    var used = all("[name$='-kind']", matters).map(function (s) { return Number(s.name.slice(1, s.name.indexOf("-"))); });
    var index = used.length ? Math.max.apply(null, used) + 1 : 0;
    if (used.length >= 10) return;
    var html = document.getElementById("matter-template").innerHTML.replace(/__i__/g, String(index));
    matters.insertAdjacentHTML("beforeend", html);
    var block = all("[data-matter]", matters).pop();
    refreshBlock(block);
    renumber();
    block.querySelector("[data-role=kind]").focus();
  }

  form.addEventListener("change", function (e) {
    if (e.target.matches("[data-role=kind]")) refreshBlock(e.target.closest("[data-matter]"));
    if (e.target.matches("[data-role=group]")) { all("[data-matter]", matters).forEach(refreshBlock); checkId(); }
  });
  form.addEventListener("click", function (e) {
    var action = e.target.closest("[data-action]");
    if (!action) return;
    if (action.dataset.action === "add-matter") addMatter();
    if (action.dataset.action === "remove-matter") {
      var block = action.closest("[data-matter]");
      var previous = block.previousElementSibling;
      block.remove();
      renumber();
      if (previous) previous.querySelector("[data-role=summary]").focus();
    }
    if (action.dataset.action === "unpick") unpick();
  });

  // --- the returning person ------------------------------------------------------------------------------

  function options() { return all("[role=option]", results); }

  function highlight(index) {
    var list = options();
    if (!list.length) return;
    active = (index + list.length) % list.length;
    list.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
    search.setAttribute("aria-activedescendant", list[active].id);
    list[active].scrollIntoView({ block: "nearest" });
  }

  function closeResults() {
    results.innerHTML = "";
    active = -1;
    search.removeAttribute("aria-activedescendant");
    search.setAttribute("aria-expanded", "false");
  }

  // An organisation (企业、事业单位、社会组织) has a credit code and a contact, and no ID number or groups.
  function organisationChosen() {
    var checked = form.querySelector("[name=client_kind]:checked");
    return !!checked && checked.value !== "person";
  }

  function showOrganisation() {
    var organisation = organisationChosen();
    form.querySelector("[data-role=organisation-row]").hidden = !organisation &&
      !field("credit_code").value && !field("contact_name").value;
    // gender and the vulnerable groups are a person's: out of the way for an organisation
    form.querySelector("[data-role=gender-row]").hidden = organisation || !!field("id_number").value;
    form.querySelector("fieldset.groups").hidden = organisation;
  }
  all("[name=client_kind]").forEach(function (r) { r.addEventListener("change", showOrganisation); });
  showOrganisation();

  function setPerson(values) {
    ["name", "phone", "id_number", "address", "credit_code", "contact_name"].forEach(function (name) {
      field(name).value = values[name] || "";
    });
    all("[name=gender]").forEach(function (r) { r.checked = r.value === values.gender; });
    var kind = values.client_kind || "person";
    all("[name=client_kind]").forEach(function (r) { r.checked = r.value === kind; });
    showOrganisation();
    var groups = (values.groups || "").split(",");
    all("[data-role=group]").forEach(function (b) { b.checked = groups.indexOf(b.value) >= 0; });
    all("[data-matter]", matters).forEach(refreshBlock);
    checkId();
    checkPhone();
  }

  // A hit carries no number (masked for everyone): the number fields stay empty, which keeps the registered
  // numbers, unless the clerk typed that very number in full into the search box.
  function pick(li) {
    var typed = search.value.replace(/\s/g, "");
    field("person_id").value = li.dataset.personId;
    setPerson({
      name: li.dataset.name,
      phone: li.dataset.phoneTyped ? typed : "", id_number: li.dataset.idTyped ? typed.toUpperCase() : "",
      address: li.dataset.address, gender: li.dataset.gender, groups: li.dataset.groups,
      client_kind: li.dataset.clientKind, credit_code: li.dataset.creditCode, contact_name: li.dataset.contactName
    });
    var banner = form.querySelector("[data-role=picked]");
    banner.querySelector("[data-role=picked-text]").textContent =
      li.querySelector("[data-role=hit-name]").textContent + " " + li.querySelector("[data-role=hit-facts]").textContent;
    banner.querySelector("[data-role=picked-note]").hidden = li.dataset.masked !== "1";
    banner.hidden = false;
    if (li.dataset.suggestElderly) {
      // The birth date on record says 60 or more, and 老年人 is not recorded: suggest it, never tick it.
      say(form.querySelector("[data-role=id-info]"), { ok: true, text: "登记的出生日期显示已满60周岁，可勾选“老年人”" });
    }
    search.value = "";
    closeResults();
    all("[data-role=summary]", matters)[0].focus();
  }

  function unpick() {
    field("person_id").value = "";
    setPerson({});
    form.querySelector("[data-role=picked]").hidden = true;
    search.focus();
  }

  // Enter without a highlighted result: carry what was typed into the matching person field.
  function carry() {
    var q = search.value.replace(/\s/g, "");
    var target = null;
    if (/^\d{17}[\dXx]$/.test(q)) target = field("id_number");
    else if (/^[\d-]{7,}$/.test(q)) target = field("phone");
    else if (q && !/\d/.test(q)) target = field("name");
    if (target && !target.value && !field("person_id").value) {
      target.value = q;
      if (target === field("id_number")) checkId(); else if (target === field("phone")) checkPhone();
    }
    search.value = "";
    closeResults();
    var empty = [field("name"), field("phone")].filter(function (f) { return !f.value; })[0];
    (empty || nextStop(field("phone"))).focus();
  }

  search.addEventListener("keydown", function (e) {
    if (composing(e)) return;
    var list = options();
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!list.length) return;
      e.preventDefault();
      highlight(active < 0 && e.key === "ArrowUp" ? -1 : active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      // With results on screen the first Enter only highlights: a returning person is never re-registered
      // as new by a hurried Enter.
      if (active >= 0 && list[active]) pick(list[active]); else if (list.length) highlight(0); else carry();
    } else if (e.key === "Tab" && !e.shiftKey && search.value.trim() && !field("person_id").value) {
      e.preventDefault(); // leaving the search box forward takes the typed name or number along
      carry();
    } else if (e.key === "Escape") {
      search.value = "";
      closeResults();
    } else if (/^[1-9]$/.test(e.key) && list.length && !/\d/.test(search.value) && !e.altKey && !e.ctrlKey) {
      var li = list[Number(e.key) - 1];
      if (li) { e.preventDefault(); pick(li); }
    }
  });

  results.addEventListener("click", function (e) {
    var li = e.target.closest("[role=option]");
    if (li) pick(li);
  });

  // Results that arrive after the clerk has moved on (picked, or carried the text down) are stale.
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.target === results && document.activeElement !== search) e.detail.shouldSwap = false;
  });
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.target !== results) return;
    active = -1;
    search.removeAttribute("aria-activedescendant");
    search.setAttribute("aria-expanded", options().length ? "true" : "false");
  });

  // On a page shown again with errors: the derived facts and the blocks as the server left them.
  checkId();
  all("[data-matter]", matters).forEach(refreshBlock);
  var firstError = form.querySelector("[aria-invalid=true]");
  if (firstError) firstError.focus();
  // Focus the search box ourselves: the browser applies autofocus only at its next rendering step, and keys
  // typed before that would be lost.
  else if (!document.activeElement || document.activeElement === document.body) search.focus();
})();
