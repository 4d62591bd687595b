import{d as o,h as S,A as R,F as b,M as _,t,m as s,e as f,p as O,R as P,u as A,L as B,O as F}from"./index-weBJ9bDv.js";const E="geo.admin.token",x=new EventTarget,y={client:null,path:location.pathname};function C(){x.dispatchEvent(new Event("change"))}function k(){const[,e]=o(0);return S(()=>{const n=()=>e(d=>d+1);return x.addEventListener("change",n),()=>x.removeEventListener("change",n)},[]),y}async function T(e){const n=new R(location.origin,e);await n.integrity(),sessionStorage.setItem(E,e),y.client=n,C()}async function K(){const e=sessionStorage.getItem(E);if(e)try{await T(e)}catch{sessionStorage.removeItem(E)}}function N(){sessionStorage.removeItem(E),y.client=null,C()}function Y(e){e!==y.path&&history.pushState(null,"",e),y.path=e,C()}addEventListener("popstate",()=>{y.path=location.pathname,C()});async function M(){const e=await fetch("/api/v1/equivalents");if(!e.ok)throw new Error(`HTTP ${e.status}`);return e.json()}function z(){const[e,n]=o(""),[d,a]=o(""),[r,u]=o(!1);return s`<form class="card" onSubmit=${async $=>{if($.preventDefault(),!e.trim())return a(t("admin.token_needed"));u(!0),a("");try{await T(e.trim())}catch(c){a(f(c)),u(!1)}}} data-testid="sign-in">
    <h1>${t("admin.sign_in")}</h1>
    <p class="note">${t("admin.token_where")}</p>
    <${b} id="admin-token" label=${t("admin.token")}>
      <input id="admin-token" type="password" autocomplete="off" value=${e} onInput=${$=>n($.currentTarget.value)} />
    <//>
    <${_} kind="error">${d}<//>
    <button type="submit" disabled=${r}>${r?t("working"):t("admin.enter")}</button>
  </form>`}const G=5e3,D=60;function H(e){const n=[];for(let d=1;d<e.length;d++){const a=e[d].at-e[d-1].at,r=e[d].committed-e[d-1].committed;n.push(a>0?Math.round(r*6e4/a):0)}return n}function U({values:e}){const a=Math.max(1,...e),r=e.map((u,p)=>`${p*300/Math.max(1,D-2)},${80-u*80/a}`).join(" ");return s`<svg class="chart" viewBox=${"0 0 300 80"} role="img" aria-label=${t("admin.chart_label",{n:e[e.length-1]??0})}>
    <polyline points=${r} class="line" />
  </svg>`}function V(){const e=k(),[n,d]=o(null),[a,r]=o([]),[u,p]=o(""),$=typeof e.client.stats=="function";if(S(()=>{if(!$)return;let m=!0,i=[];const h=async()=>{try{const v=await e.client.stats();if(!m)return;i=[...i,{at:Date.now(),committed:v.payments_committed}].slice(-D),d(v),r(i),p("")}catch(v){m&&p(f(v))}};h();const g=setInterval(h,G);return()=>{m=!1,clearInterval(g)}},[]),!$)return s`<section><h1>${t("admin.figures")}</h1><p class="card">${t("admin.stats_unsupported")}</p></section>`;const c=H(a);return s`<section data-testid="figures">
    <h1>${t("admin.figures")}</h1>
    <${_} kind="error">${u}<//>
    ${n&&s`<div class="grid">
      <div class="card">
        <h2>${t("admin.payments_per_minute")}</h2>
        <p class="big" data-testid="per-minute">${c.length?c[c.length-1]:"…"}</p>
        <${U} values=${c} />
        <dl>
          <dt>${t("admin.committed")}</dt><dd data-testid="committed">${n.payments_committed}</dd>
          <dt>${t("admin.aborted")}</dt><dd>${n.payments_aborted}</dd>
          <dt>${t("admin.open_holds")}</dt><dd>${n.open_holds}</dd>
          <dt>${t("admin.journal")}</dt><dd>${n.journal_length}</dd>
        </dl>
      </div>
      <div class="card">
        <h2>${t("admin.participants")}</h2>
        <dl>
          <dt>${t("admin.status_active")}</dt><dd data-testid="active">${n.participants.active}</dd>
          <dt>${t("admin.status_suspended")}</dt><dd data-testid="suspended">${n.participants.suspended}</dd>
          <dt>${t("admin.status_left")}</dt><dd>${n.participants.retired}</dd>
        </dl>
      </div>
      ${n.equivalents.map(m=>s`<div class="card" key=${m.equivalent} data-testid="equivalent-figures">
        <h2>${m.equivalent}</h2>
        <dl>
          <dt>${t("admin.debt_outstanding")}</dt><dd data-testid="debt-outstanding">${m.debt_outstanding}</dd>
          <dt>${t("admin.cleared_to_date")}</dt><dd data-testid="cleared-to-date">${m.cleared_to_date}</dd>
          <dt>${t("admin.committed")}</dt><dd>${m.payments_committed}</dd>
        </dl>
      </div>`)}
    </div>`}
  </section>`}const Z=/^[A-Z0-9]{2,16}$/;function J(){const e=k(),[n,d]=o([]),[a,r]=o(""),[u,p]=o("2"),[$,c]=o(""),[m,i]=o({}),[h,g]=o(null),v=()=>M().then(d,l=>g({kind:"error",text:f(l)}));S(()=>{v()},[]);const L=async l=>{l.preventDefault();const q={};if(Z.test(a)||(q.code=t("admin.code_rule")),/^[0-8]$/.test(u)||(q.precision=t("admin.precision_rule")),i(q),g(null),!Object.keys(q).length)try{const w=await e.client.setEquivalent(a,Number(u),$||void 0);g({kind:"ok",text:t("admin.equivalent_saved",{code:w.code,precision:w.precision})}),r(""),c(""),v()}catch(w){g({kind:"error",text:f(w)})}},j=l=>{r(l.code),p(String(l.precision)),c(l.description||"")};return s`<section data-testid="equivalents">
    <h1>${t("admin.equivalents")}</h1>
    <${_} kind=${h?.kind} testid="equivalent-message">${h?.text}<//>
    <form class="card" onSubmit=${L} novalidate>
      <h2>${t("admin.equivalent_form")}</h2>
      <${b} id="eq-code" label=${t("admin.code")} hint=${t("admin.code_rule")} error=${m.code}>
        <input id="eq-code" autocomplete="off" autocapitalize="characters" value=${a} onInput=${l=>r(l.currentTarget.value.trim().toUpperCase())} aria-describedby="eq-code-hint" />
      <//>
      <${b} id="eq-precision" label=${t("admin.precision")} hint=${t("admin.precision_rule")} error=${m.precision}>
        <input id="eq-precision" inputmode="numeric" value=${u} onInput=${l=>p(l.currentTarget.value.trim())} aria-describedby="eq-precision-hint" />
      <//>
      <${b} id="eq-desc" label=${t("admin.description")}>
        <input id="eq-desc" value=${$} onInput=${l=>c(l.currentTarget.value)} />
      <//>
      <button type="submit">${t("admin.save_activate")}</button>
    </form>
    <table class="card">
      <caption>${t("admin.equivalents")}</caption>
      <thead><tr><th scope="col">${t("admin.code")}</th><th scope="col">${t("admin.precision")}</th><th scope="col">${t("admin.state")}</th><th scope="col"><span class="sr-only">${t("admin.actions")}</span></th></tr></thead>
      <tbody>
        ${n.map(l=>s`<tr key=${l.code} data-testid="equivalent-row">
          <td>${l.code}${l.description?s` <small>${l.description}</small>`:""}</td>
          <td>${l.precision}</td>
          <td>${l.active?t("admin.active"):t("admin.inactive")}</td>
          <td><button class="secondary" onClick=${()=>j(l)}>${t("admin.edit")}</button></td>
        </tr>`)}
      </tbody>
    </table>
  </section>`}function Q(){const e=k(),[n,d]=o(""),[a,r]=o(""),[u,p]=o(""),[$,c]=o(null),[m,i]=o(null),h=async g=>{c(null);try{O(n)}catch{return p(t("pay.bad_pid"))}p("");try{const v=await e.client.setStatus(n,g,a||void 0);i(v),c({kind:"ok",text:t("admin.status_set",{name:v.display_name,status:t("admin.status_"+v.status)})})}catch(v){c({kind:"error",text:f(v)})}};return s`<section data-testid="participants">
    <h1>${t("admin.participants")}</h1>
    <form class="card" onSubmit=${g=>g.preventDefault()} novalidate>
      <${b} id="member-pid" label=${t("admin.member_pid")} error=${u}>
        <input id="member-pid" autocomplete="off" spellcheck=${!1} value=${n} onInput=${g=>d(g.currentTarget.value.trim())} />
      <//>
      <${b} id="member-reason" label=${t("admin.reason")}>
        <input id="member-reason" value=${a} onInput=${g=>r(g.currentTarget.value)} />
      <//>
      <div class="actions">
        <button type="button" class="danger" onClick=${()=>h("suspended")}>${t("admin.suspend")}</button>
        <button type="button" onClick=${()=>h("active")}>${t("admin.reactivate")}</button>
      </div>
    </form>
    <${_} kind=${$?.kind} testid="participant-message">${$?.text}<//>
    ${m&&s`<div class="card" data-testid="member">
      <p><strong>${m.display_name}</strong> <code>${m.pid}</code></p>
      <p>${t("admin.state")}: <strong data-testid="member-status">${t("admin.status_"+m.status)}</strong></p>
    </div>`}
  </section>`}function W(){const e=k(),[n,d]=o([]),[a,r]=o(""),[u,p]=o([]),[$,c]=o("");S(()=>{M().then(i=>{d(i),i[0]&&r(i[0].code)})},[]);const m=async i=>{i.preventDefault(),c("");try{const h=await e.client.runClearing(a);p([{...h,at:new Date().toLocaleTimeString()},...u])}catch(h){c(f(h))}};return s`<section data-testid="clearing-runs">
    <h1>${t("admin.clearing")}</h1>
    <form class="card" onSubmit=${m}>
      <${b} id="run-eq" label=${t("equivalent")}>
        <select id="run-eq" value=${a} onChange=${i=>r(i.currentTarget.value)}>
          ${n.map(i=>s`<option value=${i.code}>${i.code}</option>`)}
        </select>
      <//>
      <button type="submit" disabled=${!a}>${t("admin.run_now")}</button>
    </form>
    <${_} kind="error">${$}<//>
    <ul>
      ${u.map((i,h)=>s`<li class="card" key=${h} data-testid="run">
        <strong>${i.at} · ${i.equivalent}</strong>:
        ${i.cleared?t("admin.run_cleared",{total:i.total,n:i.debts_reduced}):i.proposal?t("admin.run_proposed",{id:i.proposal}):t("admin.run_nothing")}
        ${i.clearing_id&&s`<div><small class="mono">${i.clearing_id}</small></div>`}
      </li>`)}
    </ul>
  </section>`}function X(){const e=k(),[n,d]=o(null),[a,r]=o(""),[u,p]=o(!1),$=async()=>{p(!0),r("");try{d(await e.client.integrity())}catch(c){r(f(c))}p(!1)};return s`<section data-testid="integrity">
    <h1>${t("admin.integrity")}</h1>
    <div class="card">
      <p class="note">${t("admin.integrity_explain")}</p>
      <button onClick=${$} disabled=${u}>${u?t("working"):t("admin.check")}</button>
    </div>
    <${_} kind="error">${a}<//>
    ${n&&s`<div class="card ${n.status==="ok"?"ok":"failed"}" data-testid="integrity-report">
      <p><strong>${n.status==="ok"?t("admin.integrity_ok"):t("admin.integrity_bad")}</strong></p>
      <p>${t("admin.journal_entries",{n:n.journal_entries})}</p>
      ${n.head_hash&&s`<p><small class="mono">${n.head_hash}</small></p>`}
      ${n.problems.length>0&&s`<ul>${n.problems.map(c=>s`<li>${c}</li>`)}</ul>`}
    </div>`}
  </section>`}const I=[["/admin","admin.figures",V],["/admin/equivalents","admin.equivalents",J],["/admin/participants","admin.participants",Q],["/admin/clearing","admin.clearing",W],["/admin/integrity","admin.integrity",X]];function tt(){A();const e=k(),n=e.path.replace(/\/$/,"")||"/admin",d=I.find(([a])=>a===n)||I[0];return s`<div class="app admin ${e.client?"with-nav":""}">
    <a class="skip" href="#main">${t("skip")}</a>
    <header>
      <span class="brand" aria-hidden="true">GEO</span>
      <span class="title">${t("app.console")}</span>
      <${B} />
      ${e.client&&s`<button class="link" onClick=${N}>${t("admin.sign_out")}</button>`}
    </header>
    <${F} />
    ${e.client&&s`<nav aria-label=${t("nav.label")}><ul>
      ${I.map(([a,r])=>s`<li key=${a}><a href=${a} aria-current=${a===d[0]?"page":void 0}
        onClick=${u=>{u.preventDefault(),Y(a)}}>${t(r)}</a></li>`)}
    </ul></nav>`}
    <main id="main" tabindex="-1">
      ${e.client?s`<${d[2]} key=${d[0]} />`:s`<${z} />`}
    </main>
  </div>`}P(s`<${tt} />`,document.getElementById("app"));K().finally(()=>et());function et(){performance.mark("interactive"),document.body.setAttribute("data-ready","1")}
