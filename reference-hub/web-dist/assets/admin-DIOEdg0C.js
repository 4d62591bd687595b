import{d as c,h as C,A as R,F as f,M as _,t,m as a,e as b,s as O,R as P,u as A,L as B,O as F}from"./index-C9PL5vJq.js";const S="geo.admin.token",T=new EventTarget,y={client:null,path:location.pathname};function I(){T.dispatchEvent(new Event("change"))}function k(){const[,e]=c(0);return C(()=>{const n=()=>e(o=>o+1);return T.addEventListener("change",n),()=>T.removeEventListener("change",n)},[]),y}async function D(e){const n=new R(location.origin,e);await n.integrity(),sessionStorage.setItem(S,e),y.client=n,I()}async function K(){const e=sessionStorage.getItem(S);if(e)try{await D(e)}catch{sessionStorage.removeItem(S)}}function N(){sessionStorage.removeItem(S),y.client=null,I()}function Y(e){e!==y.path&&history.pushState(null,"",e),y.path=e,I()}addEventListener("popstate",()=>{y.path=location.pathname,I()});async function M(){const e=await fetch("/api/v1/equivalents");if(!e.ok)throw new Error(`HTTP ${e.status}`);return e.json()}function z(){const[e,n]=c(""),[o,i]=c(""),[u,r]=c(!1);return a`<form class="card" onSubmit=${async p=>{if(p.preventDefault(),!e.trim())return i(t("admin.token_needed"));r(!0),i("");try{await D(e.trim())}catch(l){i(b(l)),r(!1)}}} data-testid="sign-in">
    <h1>${t("admin.sign_in")}</h1>
    <p class="note">${t("admin.token_where")}</p>
    <${f} id="admin-token" label=${t("admin.token")}>
      <input id="admin-token" type="password" autocomplete="off" value=${e} onInput=${p=>n(p.currentTarget.value)} />
    <//>
    <${_} kind="error">${o}<//>
    <button type="submit" disabled=${u}>${u?t("working"):t("admin.enter")}</button>
  </form>`}const G=5e3,L=60;function H(e){const n=[];for(let o=1;o<e.length;o++){const i=e[o].at-e[o-1].at,u=e[o].committed-e[o-1].committed;n.push(i>0?Math.round(u*6e4/i):0)}return n}function Q({values:e}){const i=Math.max(1,...e),u=e.map((r,$)=>`${$*300/Math.max(1,L-2)},${80-r*80/i}`).join(" ");return a`<svg class="chart" viewBox=${"0 0 300 80"} role="img" aria-label=${t("admin.chart_label",{n:e[e.length-1]??0})}>
    <polyline points=${u} class="line" />
  </svg>`}function U(){const e=k(),[n,o]=c(null),[i,u]=c([]),[r,$]=c(""),p=typeof e.client.stats=="function";if(C(()=>{if(!p)return;let h=!0,s=[];const d=async()=>{try{const g=await e.client.stats();if(!h)return;s=[...s,{at:Date.now(),committed:g.payments_committed}].slice(-L),o(g),u(s),$("")}catch(g){h&&$(b(g))}};d();const v=setInterval(d,G);return()=>{h=!1,clearInterval(v)}},[]),!p)return a`<section><h1>${t("admin.figures")}</h1><p class="card">${t("admin.stats_unsupported")}</p></section>`;const l=H(i);return a`<section data-testid="figures">
    <h1>${t("admin.figures")}</h1>
    <${_} kind="error">${r}<//>
    ${n&&a`<div class="grid">
      <div class="card">
        <h2>${t("admin.payments_per_minute")}</h2>
        <p class="big" data-testid="per-minute">${l.length?l[l.length-1]:"…"}</p>
        <${Q} values=${l} />
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
      ${n.equivalents.map(h=>a`<div class="card" key=${h.equivalent} data-testid="equivalent-figures">
        <h2>${h.equivalent}</h2>
        <dl>
          <dt>${t("admin.debt_outstanding")}</dt><dd data-testid="debt-outstanding">${h.debt_outstanding}</dd>
          <dt>${t("admin.cleared_to_date")}</dt><dd data-testid="cleared-to-date">${h.cleared_to_date}</dd>
          <dt>${t("admin.committed")}</dt><dd>${h.payments_committed}</dd>
        </dl>
      </div>`)}
    </div>`}
  </section>`}const V=/^[A-Z0-9]{2,16}$/;function Z(){const e=k(),[n,o]=c([]),[i,u]=c(""),[r,$]=c("2"),[p,l]=c(""),[h,s]=c({}),[d,v]=c(null),g=()=>M().then(o,m=>v({kind:"error",text:b(m)}));C(()=>{g()},[]);const q=async m=>{m.preventDefault();const w={};if(V.test(i)||(w.code=t("admin.code_rule")),/^[0-8]$/.test(r)||(w.precision=t("admin.precision_rule")),s(w),v(null),!Object.keys(w).length)try{const E=await e.client.setEquivalent(i,Number(r),p||void 0);v({kind:"ok",text:t("admin.equivalent_saved",{code:E.code,precision:E.precision})}),u(""),l(""),g()}catch(E){v({kind:"error",text:b(E)})}},j=m=>{u(m.code),$(String(m.precision)),l(m.description||"")};return a`<section data-testid="equivalents">
    <h1>${t("admin.equivalents")}</h1>
    <${_} kind=${d?.kind} testid="equivalent-message">${d?.text}<//>
    <form class="card" onSubmit=${q} novalidate>
      <h2>${t("admin.equivalent_form")}</h2>
      <${f} id="eq-code" label=${t("admin.code")} hint=${t("admin.code_rule")} error=${h.code}>
        <input id="eq-code" autocomplete="off" autocapitalize="characters" value=${i} onInput=${m=>u(m.currentTarget.value.trim().toUpperCase())} aria-describedby="eq-code-hint" />
      <//>
      <${f} id="eq-precision" label=${t("admin.precision")} hint=${t("admin.precision_rule")} error=${h.precision}>
        <input id="eq-precision" inputmode="numeric" value=${r} onInput=${m=>$(m.currentTarget.value.trim())} aria-describedby="eq-precision-hint" />
      <//>
      <${f} id="eq-desc" label=${t("admin.description")}>
        <input id="eq-desc" value=${p} onInput=${m=>l(m.currentTarget.value)} />
      <//>
      <button type="submit">${t("admin.save_activate")}</button>
    </form>
    <table class="card">
      <caption>${t("admin.equivalents")}</caption>
      <thead><tr><th scope="col">${t("admin.code")}</th><th scope="col">${t("admin.precision")}</th><th scope="col">${t("admin.state")}</th><th scope="col"><span class="sr-only">${t("admin.actions")}</span></th></tr></thead>
      <tbody>
        ${n.map(m=>a`<tr key=${m.code} data-testid="equivalent-row">
          <td>${m.code}${m.description?a` <small>${m.description}</small>`:""}</td>
          <td>${m.precision}</td>
          <td>${m.active?t("admin.active"):t("admin.inactive")}</td>
          <td><button class="secondary" onClick=${()=>j(m)}>${t("admin.edit")}</button></td>
        </tr>`)}
      </tbody>
    </table>
  </section>`}function J(){const e=k(),[n,o]=c(""),[i,u]=c(""),[r,$]=c(null),[p,l]=c(null),h=async d=>{d?.preventDefault(),l(null);try{$(await e.client.participants(n.trim(),50))}catch(v){l({kind:"error",text:b(v)})}},s=async(d,v)=>{l(null);try{const g=await e.client.setStatus(d.pid,v,i||void 0);$(r.map(q=>q.pid===g.pid?g:q)),l({kind:"ok",text:t("admin.status_set",{name:g.display_name,status:t("admin.status_"+g.status)})})}catch(g){l({kind:"error",text:b(g)})}};return a`<section data-testid="participants">
    <h1>${t("admin.participants")}</h1>
    <form class="card" onSubmit=${h}>
      <${f} id="member-q" label=${t("admin.find_member")} hint=${t("admin.find_hint")}>
        <input id="member-q" autocomplete="off" spellcheck=${!1} value=${n} onInput=${d=>o(d.currentTarget.value)} aria-describedby="member-q-hint" />
      <//>
      <button type="submit">${t("picker.search")}</button>
      <${f} id="member-reason" label=${t("admin.reason")}>
        <input id="member-reason" value=${i} onInput=${d=>u(d.currentTarget.value)} />
      <//>
    </form>
    <${_} kind=${p?.kind} testid="participant-message">${p?.text}<//>
    ${r&&r.length===0&&a`<p class="card">${t("admin.no_members")}</p>`}
    ${r&&r.length>0&&a`<table class="card">
      <caption>${t("admin.participants")}</caption>
      <thead><tr><th scope="col">${t("register.name")}</th><th scope="col">PID</th><th scope="col">${t("admin.state")}</th><th scope="col"><span class="sr-only">${t("admin.actions")}</span></th></tr></thead>
      <tbody>
        ${r.map(d=>a`<tr key=${d.pid} data-testid="member">
          <td>${d.display_name}</td>
          <td><code title=${d.pid}>${O(d.pid)}</code></td>
          <td data-testid="member-status">${t("admin.status_"+d.status)}</td>
          <td>${d.status==="active"?a`<button class="danger" onClick=${()=>s(d,"suspended")}>${t("admin.suspend")}</button>`:d.status==="suspended"?a`<button onClick=${()=>s(d,"active")}>${t("admin.reactivate")}</button>`:""}</td>
        </tr>`)}
      </tbody>
    </table>`}
  </section>`}function W(){const e=k(),[n,o]=c([]),[i,u]=c(""),[r,$]=c([]),[p,l]=c("");C(()=>{M().then(s=>{o(s),s[0]&&u(s[0].code)})},[]);const h=async s=>{s.preventDefault(),l("");try{const d=await e.client.runClearing(i);$([{...d,at:new Date().toLocaleTimeString()},...r])}catch(d){l(b(d))}};return a`<section data-testid="clearing-runs">
    <h1>${t("admin.clearing")}</h1>
    <form class="card" onSubmit=${h}>
      <${f} id="run-eq" label=${t("equivalent")}>
        <select id="run-eq" value=${i} onChange=${s=>u(s.currentTarget.value)}>
          ${n.map(s=>a`<option value=${s.code}>${s.code}</option>`)}
        </select>
      <//>
      <button type="submit" disabled=${!i}>${t("admin.run_now")}</button>
    </form>
    <${_} kind="error">${p}<//>
    <ul>
      ${r.map((s,d)=>a`<li class="card" key=${d} data-testid="run">
        <strong>${s.at} · ${s.equivalent}</strong>:
        ${s.cleared?t("admin.run_cleared",{total:s.total,n:s.debts_reduced}):s.proposal?t("admin.run_proposed",{id:s.proposal}):t("admin.run_nothing")}
        ${s.clearing_id&&a`<div><small class="mono">${s.clearing_id}</small></div>`}
      </li>`)}
    </ul>
  </section>`}function X(){const e=k(),[n,o]=c(null),[i,u]=c(""),[r,$]=c(!1),p=async()=>{$(!0),u("");try{o(await e.client.integrity())}catch(l){u(b(l))}$(!1)};return a`<section data-testid="integrity">
    <h1>${t("admin.integrity")}</h1>
    <div class="card">
      <p class="note">${t("admin.integrity_explain")}</p>
      <button onClick=${p} disabled=${r}>${r?t("working"):t("admin.check")}</button>
    </div>
    <${_} kind="error">${i}<//>
    ${n&&a`<div class="card ${n.status==="ok"?"ok":"failed"}" data-testid="integrity-report">
      <p><strong>${n.status==="ok"?t("admin.integrity_ok"):t("admin.integrity_bad")}</strong></p>
      <p>${t("admin.journal_entries",{n:n.journal_entries})}</p>
      ${n.head_hash&&a`<p><small class="mono">${n.head_hash}</small></p>`}
      ${n.problems.length>0&&a`<ul>${n.problems.map(l=>a`<li>${l}</li>`)}</ul>`}
    </div>`}
  </section>`}const x=[["/admin","admin.figures",U],["/admin/equivalents","admin.equivalents",Z],["/admin/participants","admin.participants",J],["/admin/clearing","admin.clearing",W],["/admin/integrity","admin.integrity",X]];function tt(){A();const e=k(),n=e.path.replace(/\/$/,"")||"/admin",o=x.find(([i])=>i===n)||x[0];return a`<div class="app admin ${e.client?"with-nav":""}">
    <a class="skip" href="#main">${t("skip")}</a>
    <header>
      <span class="brand" aria-hidden="true">GEO</span>
      <span class="title">${t("app.console")}</span>
      <${B} />
      ${e.client&&a`<button class="link" onClick=${N}>${t("admin.sign_out")}</button>`}
    </header>
    <${F} />
    ${e.client&&a`<nav aria-label=${t("nav.label")}><ul>
      ${x.map(([i,u])=>a`<li key=${i}><a href=${i} aria-current=${i===o[0]?"page":void 0}
        onClick=${r=>{r.preventDefault(),Y(i)}}>${t(u)}</a></li>`)}
    </ul></nav>`}
    <main id="main" tabindex="-1">
      ${e.client?a`<${o[2]} key=${o[0]} />`:a`<${z} />`}
    </main>
  </div>`}P(a`<${tt} />`,document.getElementById("app"));K().finally(()=>et());function et(){performance.mark("interactive"),document.body.setAttribute("data-ready","1")}
