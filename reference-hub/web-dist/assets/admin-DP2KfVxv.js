import{d as o,h as E,A as x,F as y,M as _,t,m as d,e as f,s as L,R as O,u as P,L as B,O as F}from"./index-DdxX2vqq.js";const C="geo.admin.token",M=new EventTarget,q={client:null,path:location.pathname};function T(){M.dispatchEvent(new Event("change"))}function w(){const[,e]=o(0);return E(()=>{const n=()=>e(r=>r+1);return M.addEventListener("change",n),()=>M.removeEventListener("change",n)},[]),q}async function R(e){const n=new x(location.origin,e);await n.integrity(),sessionStorage.setItem(C,e),q.client=n,T()}async function N(){const e=sessionStorage.getItem(C);if(e)try{await R(e)}catch{sessionStorage.removeItem(C)}}function G(){sessionStorage.removeItem(C),q.client=null,T()}function K(e){e!==q.path&&history.pushState(null,"",e),q.path=e,T()}addEventListener("popstate",()=>{q.path=location.pathname,T()});async function j(){const e=await fetch("/api/v1/equivalents");if(!e.ok)throw new Error(`HTTP ${e.status}`);return e.json()}function U(){const[e,n]=o(""),[r,s]=o(""),[m,c]=o(!1);return d`<form class="card" onSubmit=${async g=>{if(g.preventDefault(),!e.trim())return s(t("admin.token_needed"));c(!0),s("");try{await R(e.trim())}catch(u){s(f(u)),c(!1)}}} data-testid="sign-in">
    <h1>${t("admin.sign_in")}</h1>
    <p class="note">${t("admin.token_where")}</p>
    <${y} id="admin-token" label=${t("admin.token")}>
      <input id="admin-token" type="password" autocomplete="off" value=${e} onInput=${g=>n(g.currentTarget.value)} />
    <//>
    <${_} kind="error">${r}<//>
    <button type="submit" disabled=${m}>${m?t("working"):t("admin.enter")}</button>
  </form>`}const V=5e3,A=60;function Y(e){const n=[];for(let r=1;r<e.length;r++){const s=e[r].at-e[r-1].at,m=e[r].committed-e[r-1].committed;n.push(s>0?Math.round(m*6e4/s):0)}return n}function z({values:e}){const s=Math.max(1,...e),m=e.map((c,h)=>`${h*300/Math.max(1,A-2)},${80-c*80/s}`).join(" ");return d`<svg class="chart" viewBox=${"0 0 300 80"} role="img" aria-label=${t("admin.chart_label",{n:e[e.length-1]??0})}>
    <polyline points=${m} class="line" />
  </svg>`}function H(){const e=w(),[n,r]=o(null),[s,m]=o([]),[c,h]=o(""),g=typeof e.client.stats=="function";if(E(()=>{if(!g)return;let $=!0,b=[];const l=async()=>{try{const p=await e.client.stats();if(!$)return;b=[...b,{at:Date.now(),committed:p.payments_committed}].slice(-A),r(p),m(b),h("")}catch(p){$&&h(f(p))}};l();const v=setInterval(l,V);return()=>{$=!1,clearInterval(v)}},[]),!g)return d`<section><h1>${t("admin.figures")}</h1><p class="card">${t("admin.stats_unsupported")}</p></section>`;const u=Y(s);return d`<section data-testid="figures">
    <h1>${t("admin.figures")}</h1>
    <${_} kind="error">${c}<//>
    ${n&&d`<div class="grid">
      <div class="card">
        <h2>${t("admin.payments_per_minute")}</h2>
        <p class="big" data-testid="per-minute">${u.length?u[u.length-1]:"…"}</p>
        <${z} values=${u} />
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
      ${n.equivalents.map($=>d`<div class="card" key=${$.equivalent} data-testid="equivalent-figures">
        <h2>${$.equivalent}</h2>
        <dl>
          <dt>${t("admin.debt_outstanding")}</dt><dd data-testid="debt-outstanding">${$.debt_outstanding}</dd>
          <dt>${t("admin.cleared_to_date")}</dt><dd data-testid="cleared-to-date">${$.cleared_to_date}</dd>
          <dt>${t("admin.committed")}</dt><dd>${$.payments_committed}</dd>
        </dl>
      </div>`)}
    </div>`}
  </section>`}const Q=/^[A-Z0-9]{2,16}$/;function Z(){const e=w(),[n,r]=o([]),[s,m]=o(""),[c,h]=o("2"),[g,u]=o(""),[$,b]=o({}),[l,v]=o(null),p=()=>j().then(r,i=>v({kind:"error",text:f(i)}));E(()=>{p()},[]);const k=async i=>{i.preventDefault();const S={};if(Q.test(s)||(S.code=t("admin.code_rule")),/^[0-8]$/.test(c)||(S.precision=t("admin.precision_rule")),b(S),v(null),!Object.keys(S).length)try{const I=await e.client.setEquivalent(s,Number(c),g||void 0);v({kind:"ok",text:t("admin.equivalent_saved",{code:I.code,precision:I.precision})}),m(""),u(""),p()}catch(I){v({kind:"error",text:f(I)})}},a=i=>{m(i.code),h(String(i.precision)),u(i.description||"")};return d`<section data-testid="equivalents">
    <h1>${t("admin.equivalents")}</h1>
    <${_} kind=${l?.kind} testid="equivalent-message">${l?.text}<//>
    <form class="card" onSubmit=${k} novalidate>
      <h2>${t("admin.equivalent_form")}</h2>
      <${y} id="eq-code" label=${t("admin.code")} hint=${t("admin.code_rule")} error=${$.code}>
        <input id="eq-code" autocomplete="off" autocapitalize="characters" value=${s} onInput=${i=>m(i.currentTarget.value.trim().toUpperCase())} aria-describedby="eq-code-hint" />
      <//>
      <${y} id="eq-precision" label=${t("admin.precision")} hint=${t("admin.precision_rule")} error=${$.precision}>
        <input id="eq-precision" inputmode="numeric" value=${c} onInput=${i=>h(i.currentTarget.value.trim())} aria-describedby="eq-precision-hint" />
      <//>
      <${y} id="eq-desc" label=${t("admin.description")}>
        <input id="eq-desc" value=${g} onInput=${i=>u(i.currentTarget.value)} />
      <//>
      <button type="submit">${t("admin.save_activate")}</button>
    </form>
    <table class="card">
      <caption>${t("admin.equivalents")}</caption>
      <thead><tr><th scope="col">${t("admin.code")}</th><th scope="col">${t("admin.precision")}</th><th scope="col">${t("admin.state")}</th><th scope="col"><span class="sr-only">${t("admin.actions")}</span></th></tr></thead>
      <tbody>
        ${n.map(i=>d`<tr key=${i.code} data-testid="equivalent-row">
          <td>${i.code}${i.description?d` <small>${i.description}</small>`:""}</td>
          <td>${i.precision}</td>
          <td>${i.active?t("admin.active"):t("admin.inactive")}</td>
          <td><button class="secondary" onClick=${()=>a(i)}>${t("admin.edit")}</button></td>
        </tr>`)}
      </tbody>
    </table>
  </section>`}function J(){const e=w(),[n,r]=o(""),[s,m]=o(""),[c,h]=o(null),[g,u]=o(null),$=async l=>{l?.preventDefault(),u(null);try{h(await e.client.participants(n.trim(),50))}catch(v){u({kind:"error",text:f(v)})}},b=async(l,v)=>{u(null);try{const p=await e.client.setStatus(l.pid,v,s||void 0);h(c.map(k=>k.pid===p.pid?p:k)),u({kind:"ok",text:t("admin.status_set",{name:p.display_name,status:t("admin.status_"+p.status)})})}catch(p){u({kind:"error",text:f(p)})}};return d`<section data-testid="participants">
    <h1>${t("admin.participants")}</h1>
    <form class="card" onSubmit=${$}>
      <${y} id="member-q" label=${t("admin.find_member")} hint=${t("admin.find_hint")}>
        <input id="member-q" autocomplete="off" spellcheck=${!1} value=${n} onInput=${l=>r(l.currentTarget.value)} aria-describedby="member-q-hint" />
      <//>
      <button type="submit">${t("picker.search")}</button>
      <${y} id="member-reason" label=${t("admin.reason")}>
        <input id="member-reason" value=${s} onInput=${l=>m(l.currentTarget.value)} />
      <//>
    </form>
    <${_} kind=${g?.kind} testid="participant-message">${g?.text}<//>
    ${c&&c.length===0&&d`<p class="card">${t("admin.no_members")}</p>`}
    ${c&&c.length>0&&d`<table class="card">
      <caption>${t("admin.participants")}</caption>
      <thead><tr><th scope="col">${t("register.name")}</th><th scope="col">PID</th><th scope="col">${t("admin.state")}</th><th scope="col"><span class="sr-only">${t("admin.actions")}</span></th></tr></thead>
      <tbody>
        ${c.map(l=>d`<tr key=${l.pid} data-testid="member">
          <td>${l.display_name}</td>
          <td><code title=${l.pid}>${L(l.pid)}</code></td>
          <td data-testid="member-status">${t("admin.status_"+l.status)}</td>
          <td>${l.status==="active"?d`<button class="danger" onClick=${()=>b(l,"suspended")}>${t("admin.suspend")}</button>`:l.status==="suspended"?d`<button onClick=${()=>b(l,"active")}>${t("admin.reactivate")}</button>`:""}</td>
        </tr>`)}
      </tbody>
    </table>`}
  </section>`}function W(){const e=w(),[n,r]=o([]),[s,m]=o(""),[c,h]=o([]),[g,u]=o(""),[$,b]=o(null),[l,v]=o("");E(()=>{j().then(a=>{r(a),a[0]&&m(a[0].code)})},[]);const p=async()=>{if(s){v("");try{b(await e.client.clearings(s))}catch(a){b(null),v(a&&a.code==="E_INVALID_SIGNATURE"?`${t("admin.receipt_refused")} (${a.message})`:f(a))}}};E(()=>{p()},[s]);const k=async a=>{a.preventDefault(),u("");try{const i=await e.client.runClearing(s);h([{...i,at:new Date().toLocaleTimeString()},...c]),await p()}catch(i){u(f(i))}};return d`<section data-testid="clearing-runs">
    <h1>${t("admin.clearing")}</h1>
    <form class="card" onSubmit=${k}>
      <${y} id="run-eq" label=${t("equivalent")}>
        <select id="run-eq" value=${s} onChange=${a=>m(a.currentTarget.value)}>
          ${n.map(a=>d`<option value=${a.code}>${a.code}</option>`)}
        </select>
      <//>
      <button type="submit" disabled=${!s}>${t("admin.run_now")}</button>
    </form>
    <${_} kind="error">${g}<//>
    <ul>
      ${c.map((a,i)=>d`<li class="card" key=${i} data-testid="run">
        <strong>${a.at} · ${a.equivalent}</strong>:
        ${a.cleared?t("admin.run_cleared",{total:a.total,n:a.debts_reduced}):a.proposal?t("admin.run_proposed",{id:a.proposal}):t("admin.run_nothing")}
        ${a.clearing_id&&d`<div><small class="mono">${a.clearing_id}</small></div>`}
      </li>`)}
    </ul>
    <h2>${t("admin.applied")}</h2>
    <button type="button" class="secondary" onClick=${p} disabled=${!s}>${t("admin.refresh")}</button>
    <${_} kind="error" testid="receipts-refused">${l}<//>
    ${$&&$.length===0&&d`<p>${t("admin.applied_none")}</p>`}
    <ul>
      ${($||[]).map(a=>d`<li class="card" key=${a.clearing_id} data-testid="clearing">
        <strong>${new Date(a.at).toLocaleString()}</strong>:
        <span data-testid="cleared-total">${t("admin.cleared_total",{total:a.receipt.payload.total,equivalent:a.equivalent,n:a.edges.length})}</span>
        <p class="message ok" data-testid="receipt-verified">${t("admin.receipt_verified",{seq:a.journal_seq})}</p>
        <details>
          <summary>${t("admin.set_offs")}</summary>
          <ul class="edges">
            ${a.edges.map(i=>d`<li key=${i.debtor+i.creditor}>
              <code title=${i.debtor}>${L(i.debtor)}</code> → <code title=${i.creditor}>${L(i.creditor)}</code>: ${i.amount}
            </li>`)}
          </ul>
          <small class="mono">${a.clearing_id}</small>
        </details>
      </li>`)}
    </ul>
  </section>`}function X(){const e=w(),[n,r]=o(null),[s,m]=o(""),[c,h]=o(!1),g=async()=>{h(!0),m("");try{r(await e.client.integrity())}catch(u){m(f(u))}h(!1)};return d`<section data-testid="integrity">
    <h1>${t("admin.integrity")}</h1>
    <div class="card">
      <p class="note">${t("admin.integrity_explain")}</p>
      <button onClick=${g} disabled=${c}>${c?t("working"):t("admin.check")}</button>
    </div>
    <${_} kind="error">${s}<//>
    ${n&&d`<div class="card ${n.status==="ok"?"ok":"failed"}" data-testid="integrity-report">
      <p><strong>${n.status==="ok"?t("admin.integrity_ok"):t("admin.integrity_bad")}</strong></p>
      <p>${t("admin.journal_entries",{n:n.journal_entries})}</p>
      ${n.head_hash&&d`<p><small class="mono">${n.head_hash}</small></p>`}
      ${n.problems.length>0&&d`<ul>${n.problems.map(u=>d`<li>${u}</li>`)}</ul>`}
    </div>`}
  </section>`}const D=[["/admin","admin.figures",H],["/admin/equivalents","admin.equivalents",Z],["/admin/participants","admin.participants",J],["/admin/clearing","admin.clearing",W],["/admin/integrity","admin.integrity",X]];function tt(){P();const e=w(),n=e.path.replace(/\/$/,"")||"/admin",r=D.find(([s])=>s===n)||D[0];return d`<div class="app admin ${e.client?"with-nav":""}">
    <a class="skip" href="#main">${t("skip")}</a>
    <header>
      <span class="brand" aria-hidden="true">GEO</span>
      <span class="title">${t("app.console")}</span>
      <${B} />
      ${e.client&&d`<button class="link" onClick=${G}>${t("admin.sign_out")}</button>`}
    </header>
    <${F} />
    ${e.client&&d`<nav aria-label=${t("nav.label")}><ul>
      ${D.map(([s,m])=>d`<li key=${s}><a href=${s} aria-current=${s===r[0]?"page":void 0}
        onClick=${c=>{c.preventDefault(),K(s)}}>${t(m)}</a></li>`)}
    </ul></nav>`}
    <main id="main" tabindex="-1">
      ${e.client?d`<${r[2]} key=${r[0]} />`:d`<${U} />`}
    </main>
  </div>`}O(d`<${tt} />`,document.getElementById("app"));N().finally(()=>et());function et(){performance.mark("interactive"),document.body.setAttribute("data-ready","1")}
