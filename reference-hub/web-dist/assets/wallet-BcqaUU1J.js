import{d as v,h as V,I as oe,H as Kt,t as a,m as f,F as D,M as O,e as L,T as fe,s as ze,p as Ht,a as se,b as xt,r as We,c as Ze,L as Tt,R as Jt,f as Yt,u as Gt,O as Qt}from"./index-C9PL5vJq.js";const Wt="geo-wallet",Le="keys",Ve="main";function Zt(){return new Promise((e,t)=>{const o=indexedDB.open(Wt,1);o.onupgradeneeded=()=>o.result.createObjectStore(Le),o.onsuccess=()=>e(o.result),o.onerror=()=>t(o.error)})}async function Ke(e,t){const o=await Zt();try{return await new Promise((n,i)=>{const r=o.transaction(Le,e),s=t(r.objectStore(Le));r.oncomplete=()=>n(s&&s.result),r.onerror=()=>i(r.error)})}finally{o.close()}}function Xt(){return Ke("readonly",e=>e.get(Ve))}function He(e){return Ke("readwrite",t=>t.put(e,Ve))}function en(){return Ke("readwrite",e=>e.delete(Ve))}const Ue=new EventTarget,E={stage:"loading",record:null,identity:null,client:null,me:null,equivalents:[],notifications:[],unread:0,toast:null,path:location.pathname+location.search,names:new Map};function K(){Ue.dispatchEvent(new Event("change"))}function j(){const[,e]=v(0);return V(()=>{const t=()=>e(o=>o+1);return Ue.addEventListener("change",t),()=>Ue.removeEventListener("change",t)},[]),E}function ne(e){e!==E.path&&history.pushState(null,"",e),E.path=e,K()}addEventListener("popstate",()=>{E.path=location.pathname+location.search,K()});async function tn(){E.record=await Xt(),E.stage=E.record?"locked":"welcome",K()}async function nn(e){const t=oe.fromKeyFile(E.record.keyFile,e);await It(t,E.record.registered)}async function Fe(e,t,o){const n=e.toKeyFile(t);E.record={keyFile:n,pid:e.pid,registered:o},await He(E.record),await It(e,o)}async function It(e,t){if(E.identity=e,E.client=await Kt.connect(location.origin,e),!t)try{E.me=await E.client.login(),t=!0,E.record={...E.record,registered:!0},await He(E.record)}catch{t=!1}t?await Pt():(E.stage="register",K())}async function rn(e){E.me=await E.client.register(e,"person"),E.record={...E.record,registered:!0,name:e},await He(E.record),await Pt()}async function Pt(){const e=E.client;E.me=E.me||await e.profile(),E.equivalents=await e.equivalents(),E.names.set(E.me.pid,E.me.display_name),E.stage="ready",K(),on(e)}async function on(e){const t="geo.events."+e.pid,o=Number(localStorage.getItem(t)||0);try{for await(const n of e.events(o)){if(e!==E.client)break;localStorage.setItem(t,String(n.id)),E.notifications=[n,...E.notifications].slice(0,100),E.unread+=1,E.toast=n,E.refresh=(E.refresh||0)+1,K()}}catch(n){console.warn("event stream ended",n)}}function Rt(){E.identity=null,E.client=null,E.me=null,E.notifications=[],E.unread=0,E.stage=E.record?"locked":"welcome",ne("/")}async function At(){await en(),E.record=null,Rt()}async function an(e){if(E.names.has(e))return E.names.get(e);try{const t=await E.client.participant(e);return E.names.set(e,t.display_name),t.display_name}catch{return E.names.set(e,null),null}}function G(e){const t=E.equivalents.find(o=>o.code===e);return t?t.precision:0}function sn({go:e}){return f`<section class="card welcome" data-testid="welcome">
    <h1>${a("welcome.title")}</h1>
    <p>${a("welcome.what")}</p>
    <p class="note">${a("welcome.secret")}</p>
    <div class="actions column">
      <button onClick=${()=>e("create")}>${a("welcome.create")}</button>
      <button class="secondary" onClick=${()=>e("restore")}>${a("welcome.restore")}</button>
    </div>
  </section>`}const pe=8;function Mt({onDone:e,busyText:t}){const[o,n]=v(""),[i,r]=v(""),[s,c]=v(""),[l,p]=v(!1);async function d(u){if(u.preventDefault(),o.length<pe)return c(a("passphrase.too_short",{n:pe}));if(o!==i)return c(a("passphrase.mismatch"));c(""),p(!0);try{await e(o)}catch(g){c(L(g)),p(!1)}}return f`<form onSubmit=${d} class="card" data-testid="passphrase">
    <h2>${a("passphrase.title")}</h2>
    <p>${a("passphrase.why")}</p>
    <${D} id="pass1" label=${a("passphrase.label")} hint=${a("passphrase.hint",{n:pe})}>
      <input id="pass1" type="password" autocomplete="new-password" value=${o} onInput=${u=>n(u.currentTarget.value)} aria-describedby="pass1-hint" />
    <//>
    <${D} id="pass2" label=${a("passphrase.again")}>
      <input id="pass2" type="password" autocomplete="new-password" value=${i} onInput=${u=>r(u.currentTarget.value)} />
    <//>
    <${O} kind="error">${s}<//>
    <button type="submit" disabled=${l}>${l?t||a("working"):a("passphrase.save")}</button>
  </form>`}function cn(e){const t=new Set,o=new Uint32Array(8);for(;t.size<3;){crypto.getRandomValues(o);for(const n of o)t.size<3&&t.add(n%e)}return[...t].sort((n,i)=>n-i)}function ln({back:e}){const t=fe(()=>oe.generate(),[]),o=fe(()=>t.mnemonic().split(" "),[t]),n=fe(()=>cn(o.length),[o]),[i,r]=v("words"),[s,c]=v(["","",""]),[l,p]=v("");return i==="words"?f`<section class="card" data-testid="backup-words">
      <h2>${a("create.words_title")}</h2>
      <p>${a("create.words_why")}</p>
      <ol class="words" aria-label=${a("create.words_title")}>
        ${o.map((d,u)=>f`<li key=${u}><span class="n">${u+1}</span> <span class="w">${d}</span></li>`)}
      </ol>
      <p class="note">${a("welcome.secret")}</p>
      <div class="actions">
        <button class="secondary" onClick=${e}>${a("back")}</button>
        <button onClick=${()=>r("confirm")}>${a("create.written")}</button>
      </div>
    </section>`:i==="confirm"?f`<form class="card" onSubmit=${u=>{if(u.preventDefault(),!n.every((m,q)=>s[q].trim().toLowerCase()===o[m]))return p(a("create.confirm_wrong"));p(""),r("passphrase")}} data-testid="confirm-words">
      <h2>${a("create.confirm_title")}</h2>
      <p>${a("create.confirm_why")}</p>
      ${n.map((u,g)=>f`<${D} key=${u} id=${"word"+g} label=${a("create.word_n",{n:u+1})}>
        <input id=${"word"+g} data-position=${u+1} autocomplete="off" autocapitalize="none" spellcheck=${!1}
          value=${s[g]} onInput=${m=>c(s.map((q,h)=>h===g?m.currentTarget.value:q))} />
      <//>`)}
      <${O} kind="error">${l}<//>
      <div class="actions">
        <button type="button" class="secondary" onClick=${()=>r("words")}>${a("create.show_again")}</button>
        <button type="submit">${a("create.confirm")}</button>
      </div>
    </form>`:f`<${Mt} onDone=${d=>Fe(t,d,!1)} />`}function un({back:e}){const[t,o]=v(""),[n,i]=v(null),[r,s]=v(""),[c,l]=v(null),[p,d]=v(""),[u,g]=v(!1);if(c)return f`<${Mt} onDone=${h=>Fe(c,h,!1)} />`;const m=h=>{h.preventDefault();try{l(oe.fromMnemonic(t.trim().toLowerCase().split(/\s+/).join(" ")))}catch{d(a("restore.bad_phrase"))}},q=async h=>{if(h.preventDefault(),!n)return d(a("restore.pick_file"));g(!0);try{const B=await n.text(),P=oe.fromKeyFile(B,r);await Fe(P,r,!1)}catch(B){d(L(B)),g(!1)}};return f`<section class="card" data-testid="restore">
    <h2>${a("restore.title")}</h2>
    <form onSubmit=${m}>
      <${D} id="phrase" label=${a("restore.phrase")} hint=${a("restore.phrase_hint")}>
        <textarea id="phrase" rows="4" autocomplete="off" autocapitalize="none" spellcheck=${!1}
          value=${t} onInput=${h=>o(h.currentTarget.value)}></textarea>
      <//>
      <button type="submit">${a("restore.from_phrase")}</button>
    </form>
    <hr />
    <form onSubmit=${q}>
      <${D} id="keyfile" label=${a("restore.file")}>
        <input id="keyfile" type="file" accept=".json,application/json" onChange=${h=>i(h.currentTarget.files[0])} />
      <//>
      <${D} id="filepass" label=${a("restore.file_pass")}>
        <input id="filepass" type="password" autocomplete="current-password" value=${r} onInput=${h=>s(h.currentTarget.value)} />
      <//>
      <button type="submit" disabled=${u}>${u?a("working"):a("restore.from_file")}</button>
    </form>
    <${O} kind="error">${p}<//>
    <button class="link" onClick=${e}>${a("back")}</button>
  </section>`}function dn(){const[e,t]=v(""),[o,n]=v(""),[i,r]=v(!1),s=async l=>{l.preventDefault(),r(!0),n("");try{await nn(e)}catch(p){n(L(p)),r(!1)}},c=()=>{confirm(a("unlock.forget_confirm"))&&At()};return f`<form class="card" onSubmit=${s} data-testid="unlock">
    <h2>${a("unlock.title")}</h2>
    <p>${a("unlock.who",{pid:ze(E.record.pid)})}</p>
    <${D} id="unlock-pass" label=${a("passphrase.label")}>
      <input id="unlock-pass" type="password" autocomplete="current-password" value=${e} onInput=${l=>t(l.currentTarget.value)} />
    <//>
    <${O} kind="error">${o}<//>
    <button type="submit" disabled=${i}>${i?a("working"):a("unlock.open")}</button>
    <button type="button" class="link" onClick=${c}>${a("unlock.forget")}</button>
  </form>`}function fn(){const[e,t]=v(""),[o,n]=v(""),[i,r]=v(!1);return f`<form class="card" onSubmit=${async c=>{if(c.preventDefault(),!e.trim())return n(a("register.name_needed"));r(!0),n("");try{await rn(e.trim())}catch(l){n(L(l)),r(!1)}}} data-testid="register">
    <h2>${a("register.title")}</h2>
    <p>${a("register.why")}</p>
    <p><code class="pid">${E.identity.pid}</code></p>
    <${D} id="display-name" label=${a("register.name")}>
      <input id="display-name" autocomplete="name" maxlength="64" value=${e} onInput=${c=>t(c.currentTarget.value)} />
    <//>
    <${O} kind="error">${o}<//>
    <button type="submit" disabled=${i}>${i?a("working"):a("register.join")}</button>
  </form>`}function pn(){const e=j(),[t,o]=v(null),[n,i]=v("");return V(()=>{e.client.balance().then(o,r=>i(L(r)))},[e.refresh]),f`<section data-testid="dashboard">
    <h1>${a("dashboard.hello",{name:e.me.display_name})}</h1>
    <${O} kind="error">${n}<//>
    ${t&&t.length===0&&f`<div class="card"><p>${a("dashboard.empty")}</p>
      <button onClick=${()=>ne("/trust")}>${a("nav.trust")}</button></div>`}
    <div class="grid">
      ${(t||[]).map(r=>f`<article class="card balance" key=${r.equivalent} data-equivalent=${r.equivalent}>
        <h2>${r.equivalent}</h2>
        <p class="net ${r.net.startsWith("-")?"negative":""}"><span>${a("dashboard.net")}</span> <strong data-testid="net">${r.net}</strong></p>
        <dl>
          <dt>${a("dashboard.owe")}</dt><dd data-testid="debt">${r.debt}</dd>
          <dt>${a("dashboard.owed")}</dt><dd data-testid="credit">${r.credit}</dd>
          <dt>${a("dashboard.trust_given")}</dt><dd>${r.trust_given}</dd>
          <dt>${a("dashboard.trust_received")}</dt><dd>${r.trust_received}</dd>
          <dt>${a("dashboard.can_pay")}</dt><dd data-testid="can-pay">${r.available_to_spend}</dd>
          <dt>${a("dashboard.can_receive")}</dt><dd>${r.available_to_receive}</dd>
        </dl>
      </article>`)}
    </div>
    <div class="actions">
      <button onClick=${()=>ne("/pay")}>${a("nav.pay")}</button>
      <button class="secondary" onClick=${()=>ne("/request")}>${a("nav.request")}</button>
    </div>
  </section>`}function Nt({id:e,label:t,value:o,onChange:n,error:i}){const[r,s]=v([]),[c,l]=v(!1),p=async()=>{const u=o.trim();if(u){l(!0);try{const g=await E.client.searchParticipants(u,10);s(g.filter(m=>m.pid!==E.me.pid))}catch{s([])}l(!1)}},d=u=>{u.key==="Enter"&&!xe(o)&&(u.preventDefault(),p())};return f`<div class="picker">
    <${D} id=${e} label=${t} hint=${a("picker.hint")} error=${i}>
      <div class="row">
        <input id=${e} autocomplete="off" autocapitalize="none" spellcheck=${!1} value=${o}
          onInput=${u=>n(u.currentTarget.value.trim())} onKeyDown=${d}
          aria-describedby=${e+"-hint"} />
        <button type="button" class="secondary" onClick=${p} disabled=${c}>${a("picker.search")}</button>
      </div>
    <//>
    ${r.length>0&&f`<ul class="results" aria-label=${a("picker.results")}>
      ${r.map(u=>f`<li key=${u.pid}><button type="button" class="link" onClick=${()=>{n(u.pid),E.names.set(u.pid,u.display_name),s([])}}>
        ${u.display_name} <code>${ze(u.pid)}</code></button></li>`)}
    </ul>`}
  </div>`}function xe(e){try{return Ht(e),!0}catch{return!1}}function F({pid:e}){const[t,o]=v(E.names.get(e));V(()=>{let i=!0;return an(e).then(r=>i&&o(r)),()=>i=!1},[e]);const n=E.me&&E.me.pid===e;return f`<span class="name" title=${e}>${n?a("you"):t||a("unknown_member")} <code>${ze(e)}</code></span>`}function ae(e,t){try{const o=String(e).startsWith("-"),n=BigInt(se(o?e.slice(1):e,t));return o?-n:n}catch{return 0n}}function hn(e,t,o){const n=ae(t,o);if(n<=0n)return 0;const r=ae(e,o)*100n/n;return Number(r>100n?100n:r<0n?0n:r)}function Xe({line:e,given:t,onEdit:o,onClose:n}){const i=t?e.debtor:e.creditor,r=hn(e.used,e.limit,G(e.equivalent));return f`<li class="line" data-testid=${t?"line-given":"line-received"}>
    <div><${F} pid=${i} /> <span class="eq">${e.equivalent}</span></div>
    <div class="usage">
      <meter min="0" max="100" value=${r} aria-label=${a("trust.used_of",{used:e.used,limit:e.limit})}></meter>
      <span>${a("trust.used_of",{used:e.used,limit:e.limit})}</span>
    </div>
    ${!e.policy.auto_clearing&&f`<small>${a("trust.no_auto")}</small>`}
    ${t&&f`<div class="actions">
      <button class="secondary" onClick=${()=>o(e)}>${a("trust.change")}</button>
      <button class="danger" onClick=${()=>n(e)}>${a("trust.close")}</button>
    </div>`}
  </li>`}function gn(){const e=j(),[t,o]=v([]),[n,i]=v([]),[r,s]=v(""),[c,l]=v(e.equivalents[0]?.code||""),[p,d]=v(""),[u,g]=v(!0),[m,q]=v({}),[h,B]=v(null),[P,A]=v(!1),b=async()=>{const $=e.client,[C,y]=await Promise.all([$.trustLines({direction:"outgoing"}),$.trustLines({direction:"incoming"})]);o(C.filter(T=>T.status==="active")),i(y.filter(T=>T.status==="active"))};V(()=>{b().catch($=>B({kind:"error",text:L($)}))},[e.refresh]);const _=async $=>{$.preventDefault();const C={};xe(r)?r===e.me.pid&&(C.member=a("trust.not_self")):C.member=a("pay.bad_pid");try{se(p,G(c))}catch(y){C.limit=L(y)}if(q(C),!Object.keys(C).length){A(!0),B(null);try{const y=await e.client.participant(r).catch(S=>{throw S.code==="E_NOT_FOUND"?Object.assign(new Error(a("pay.unknown_member")),{field:"member"}):S});e.names.set(y.pid,y.display_name);const T=u?void 0:{auto_clearing:!1,can_be_intermediate:!0,blocked_participants:[]};await e.client.setTrustLine(r,c,p,T),B({kind:"ok",text:a("trust.saved",{name:y.display_name,limit:p,equivalent:c})}),s(""),d(""),await b()}catch(y){y.field?q({[y.field]:y.message}):B({kind:"error",text:L(y)})}A(!1)}},M=$=>{s($.debtor),l($.equivalent),d($.limit),g($.policy.auto_clearing),document.getElementById("trust-member")?.focus()},k=async $=>{B(null);try{await e.client.closeTrustLine($.debtor,$.equivalent),B({kind:"ok",text:a("trust.closed")}),await b(),K()}catch(C){B({kind:"error",text:a("trust.close_refused",{why:L(C)})})}};return f`<section data-testid="trust">
    <h1>${a("nav.trust")}</h1>
    <${O} kind=${h?.kind} testid="trust-message">${h?.text}<//>
    <form class="card" onSubmit=${_} novalidate>
      <h2>${a("trust.set_title")}</h2>
      <p class="note">${a("trust.explain")}</p>
      <${Nt} id="trust-member" label=${a("trust.member")} value=${r} onChange=${s} error=${m.member} />
      <${D} id="trust-eq" label=${a("equivalent")}>
        <select id="trust-eq" value=${c} onChange=${$=>l($.currentTarget.value)}>
          ${e.equivalents.map($=>f`<option value=${$.code}>${$.code}${$.description?" — "+$.description:""}</option>`)}
        </select>
      <//>
      <${D} id="trust-limit" label=${a("trust.limit")} hint=${a("amount.hint",{n:G(c)})} error=${m.limit}>
        <input id="trust-limit" inputmode="decimal" autocomplete="off" value=${p} onInput=${$=>d($.currentTarget.value.trim())} aria-describedby="trust-limit-hint" />
      <//>
      <div class="field check">
        <input id="trust-auto" type="checkbox" checked=${u} onChange=${$=>g($.currentTarget.checked)} />
        <label for="trust-auto">${a("trust.auto")}</label>
      </div>
      <button type="submit" disabled=${P}>${P?a("working"):a("trust.save")}</button>
    </form>
    <div class="grid">
      <div class="card">
        <h2>${a("trust.given")}</h2>
        ${t.length===0?f`<p>${a("trust.none")}</p>`:f`<ul class="lines">${t.map($=>f`<${Xe} key=${$.id} line=${$} given onEdit=${M} onClose=${k} />`)}</ul>`}
      </div>
      <div class="card">
        <h2>${a("trust.received")}</h2>
        ${n.length===0?f`<p>${a("trust.none")}</p>`:f`<ul class="lines">${n.map($=>f`<${Xe} key=${$.id} line=${$} />`)}</ul>`}
      </div>
    </div>
  </section>`}function mn({record:e}){const t=e.payment||e,o=e.payment?e.receipt:e,n=t.status==="committed";return f`<article class="card receipt ${n?"ok":"failed"}" data-testid="receipt" aria-live="polite">
    <h2>${n?a("receipt.paid"):a("receipt.not_paid")}</h2>
    <p class="big">${t.amount} ${t.equivalent}</p>
    <p>${a("receipt.to")} <${F} pid=${t.payee} /></p>
    ${o&&f`<p class="note">${a("receipt.verified")}</p>`}
    ${t.routes.length>0&&f`<div>
      <h3>${a("receipt.paths",{n:t.routes.length})}</h3>
      <ol class="routes">
        ${t.routes.map((i,r)=>f`<li key=${r}>
          ${i.path.map((s,c)=>f`${c>0?" → ":""}<${F} pid=${s} />`)}
          <strong> ${i.amount}</strong>
        </li>`)}
      </ol>
    </div>`}
    <small class="mono">tx ${t.tx_id}</small>
  </article>`}const $n=typeof window<"u"&&"BarcodeDetector"in window&&!!navigator.mediaDevices;function yn({onScan:e,onClose:t}){const o=xt(null),[n,i]=v("");return V(()=>{let r,s=!1;return(async()=>{try{const c=new window.BarcodeDetector({formats:["qr_code"]});for(r=await navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}),o.current.srcObject=r,await o.current.play();!s;){const l=await c.detect(o.current).catch(()=>[]);if(l.length){e(l[0].rawValue);break}await new Promise(p=>setTimeout(p,250))}}catch{i(a("scan.failed"))}})(),()=>{s=!0,r?.getTracks().forEach(c=>c.stop())}},[]),f`<div class="scanner card">
    <video ref=${o} muted playsinline aria-label=${a("scan.video")}></video>
    ${n&&f`<p class="error" role="alert">${n}</p>`}
    <button type="button" class="secondary" onClick=${t}>${a("scan.stop")}</button>
  </div>`}function vn(){return new URLSearchParams(location.search).get("invoice")||""}function wn(){const e=j(),[t,o]=v(vn()),[n,i]=v(null),[r,s]=v(""),[c,l]=v(e.equivalents[0]?.code||""),[p,d]=v(""),[u,g]=v(""),[m,q]=v({}),[h,B]=v(null),[P,A]=v(null),[b,_]=v(""),[M,k]=v(!1),[$,C]=v(!1),y=w=>{if(_(""),B(null),A(null),i(null),typeof We!="function")return q({link:a("invoice.unsupported")});try{const N=We(w.trim(),e.client.hubPid);q({}),i(N),T(N.payee,N.equivalent,N.amount)}catch(N){q({link:L(N)})}};V(()=>{t&&y(t)},[]);const T=async(w,N,U)=>{try{const ee=await e.client.capacity(w,N,U);B(ee)}catch(ee){_(L(ee))}},S=async w=>{w.preventDefault(),A(null),B(null),_("");const N={};xe(r)?r===e.me.pid&&(N.payee=a("pay.not_self")):N.payee=a("pay.bad_pid");try{se(p,G(c)),/^0*(\.0*)?$/.test(p)&&(N.amount=a("pay.positive"))}catch(U){N.amount=L(U)}if(q(N),!Object.keys(N).length){k(!0);try{const U=await e.client.participant(r);e.names.set(U.pid,U.display_name),await T(r,c,p)}catch(U){U.code==="E_NOT_FOUND"?q({payee:a("pay.unknown_member")}):_(L(U))}k(!1)}},R=async()=>{k(!0),_("");try{const w=n?await e.client.payInvoice(n):await e.client.pay({payee:r,equivalent:c,amount:p,...u?{description:u}:{}});A(w),B(null),i(null),o(""),d(""),K()}catch(w){_(L(w))}k(!1)},I=n?{payee:n.payee,equivalent:n.equivalent,amount:n.amount}:{equivalent:c,amount:p};return f`<section data-testid="pay">
    <h1>${a("nav.pay")}</h1>
    <form class="card" onSubmit=${w=>{w.preventDefault(),y(t)}} novalidate>
      <h2>${a("pay.by_request")}</h2>
      <${D} id="invoice-link" label=${a("pay.request_link")} hint=${a("pay.request_hint")} error=${m.link}>
        <textarea id="invoice-link" rows="2" autocomplete="off" spellcheck=${!1} value=${t} onInput=${w=>o(w.currentTarget.value)} aria-describedby="invoice-link-hint"></textarea>
      <//>
      <div class="actions">
        <button type="submit" class="secondary">${a("pay.open_request")}</button>
        ${$n&&f`<button type="button" class="secondary" onClick=${()=>C(!0)}>${a("scan.start")}</button>`}
      </div>
      ${$&&f`<${yn} onScan=${w=>{C(!1),o(w),y(w)}} onClose=${()=>C(!1)} />`}
    </form>
    ${n&&f`<article class="card invoice" data-testid="invoice">
      <h2>${a("invoice.title")}</h2>
      <p class="big">${n.amount} ${n.equivalent}</p>
      <p>${a("receipt.to")} <${F} pid=${n.payee} /></p>
      ${n.description&&f`<p>“${n.description}”</p>`}
      <p class="note">${a("invoice.checked",{until:new Date(n.expires_at).toLocaleString()})}</p>
    </article>`}
    ${!n&&f`<form class="card" onSubmit=${S} novalidate>
      <h2>${a("pay.direct")}</h2>
      <${Nt} id="pay-to" label=${a("pay.to")} value=${r} onChange=${w=>{s(w),B(null)}} error=${m.payee} />
      <${D} id="pay-eq" label=${a("equivalent")}>
        <select id="pay-eq" value=${c} onChange=${w=>{l(w.currentTarget.value),B(null)}}>
          ${e.equivalents.map(w=>f`<option value=${w.code}>${w.code}</option>`)}
        </select>
      <//>
      <${D} id="pay-amount" label=${a("amount")} hint=${a("amount.hint",{n:G(c)})} error=${m.amount}>
        <input id="pay-amount" inputmode="decimal" autocomplete="off" value=${p} onInput=${w=>{d(w.currentTarget.value.trim()),B(null)}} aria-describedby="pay-amount-hint" />
      <//>
      <${D} id="pay-desc" label=${a("pay.description")}>
        <input id="pay-desc" maxlength="200" value=${u} onInput=${w=>g(w.currentTarget.value)} />
      <//>
      <button type="submit" class="secondary" disabled=${M}>${a("pay.preview")}</button>
    </form>`}
    ${h&&f`<div class="card preview" data-testid="preview">
      <p>${a("pay.max_now",{amount:h.max_amount,equivalent:h.equivalent})}</p>
      ${h.can_pay===!1?f`<p class="error" role="alert">${a("pay.cannot",{amount:I.amount})}</p>`:f`<button onClick=${R} disabled=${M}>${M?a("working"):a("pay.sign_send",{amount:I.amount,equivalent:I.equivalent})}</button>`}
    </div>`}
    <${O} kind="error" testid="pay-error">${b}<//>
    ${P&&f`<${mn} record=${P} />`}
  </section>`}function bn(e){return e&&e.__esModule&&Object.prototype.hasOwnProperty.call(e,"default")?e.default:e}var X={},he,et;function kn(){return et||(et=1,he=function(){return typeof Promise=="function"&&Promise.prototype&&Promise.prototype.then}),he}var ge={},Y={},tt;function Q(){if(tt)return Y;tt=1;let e;const t=[0,26,44,70,100,134,172,196,242,292,346,404,466,532,581,655,733,815,901,991,1085,1156,1258,1364,1474,1588,1706,1828,1921,2051,2185,2323,2465,2611,2761,2876,3034,3196,3362,3532,3706];return Y.getSymbolSize=function(n){if(!n)throw new Error('"version" cannot be null or undefined');if(n<1||n>40)throw new Error('"version" should be in range from 1 to 40');return n*4+17},Y.getSymbolTotalCodewords=function(n){return t[n]},Y.getBCHDigit=function(o){let n=0;for(;o!==0;)n++,o>>>=1;return n},Y.setToSJISFunction=function(n){if(typeof n!="function")throw new Error('"toSJISFunc" is not a valid function.');e=n},Y.isKanjiModeEnabled=function(){return typeof e<"u"},Y.toSJIS=function(n){return e(n)},Y}var me={},nt;function Je(){return nt||(nt=1,(function(e){e.L={bit:1},e.M={bit:0},e.Q={bit:3},e.H={bit:2};function t(o){if(typeof o!="string")throw new Error("Param is not a string");switch(o.toLowerCase()){case"l":case"low":return e.L;case"m":case"medium":return e.M;case"q":case"quartile":return e.Q;case"h":case"high":return e.H;default:throw new Error("Unknown EC Level: "+o)}}e.isValid=function(n){return n&&typeof n.bit<"u"&&n.bit>=0&&n.bit<4},e.from=function(n,i){if(e.isValid(n))return n;try{return t(n)}catch{return i}}})(me)),me}var $e,rt;function Cn(){if(rt)return $e;rt=1;function e(){this.buffer=[],this.length=0}return e.prototype={get:function(t){const o=Math.floor(t/8);return(this.buffer[o]>>>7-t%8&1)===1},put:function(t,o){for(let n=0;n<o;n++)this.putBit((t>>>o-n-1&1)===1)},getLengthInBits:function(){return this.length},putBit:function(t){const o=Math.floor(this.length/8);this.buffer.length<=o&&this.buffer.push(0),t&&(this.buffer[o]|=128>>>this.length%8),this.length++}},$e=e,$e}var ye,it;function En(){if(it)return ye;it=1;function e(t){if(!t||t<1)throw new Error("BitMatrix size must be defined and greater than 0");this.size=t,this.data=new Uint8Array(t*t),this.reservedBit=new Uint8Array(t*t)}return e.prototype.set=function(t,o,n,i){const r=t*this.size+o;this.data[r]=n,i&&(this.reservedBit[r]=!0)},e.prototype.get=function(t,o){return this.data[t*this.size+o]},e.prototype.xor=function(t,o,n){this.data[t*this.size+o]^=n},e.prototype.isReserved=function(t,o){return this.reservedBit[t*this.size+o]},ye=e,ye}var ve={},ot;function qn(){return ot||(ot=1,(function(e){const t=Q().getSymbolSize;e.getRowColCoords=function(n){if(n===1)return[];const i=Math.floor(n/7)+2,r=t(n),s=r===145?26:Math.ceil((r-13)/(2*i-2))*2,c=[r-7];for(let l=1;l<i-1;l++)c[l]=c[l-1]-s;return c.push(6),c.reverse()},e.getPositions=function(n){const i=[],r=e.getRowColCoords(n),s=r.length;for(let c=0;c<s;c++)for(let l=0;l<s;l++)c===0&&l===0||c===0&&l===s-1||c===s-1&&l===0||i.push([r[c],r[l]]);return i}})(ve)),ve}var we={},at;function _n(){if(at)return we;at=1;const e=Q().getSymbolSize,t=7;return we.getPositions=function(n){const i=e(n);return[[0,0],[i-t,0],[0,i-t]]},we}var be={},st;function Bn(){return st||(st=1,(function(e){e.Patterns={PATTERN000:0,PATTERN001:1,PATTERN010:2,PATTERN011:3,PATTERN100:4,PATTERN101:5,PATTERN110:6,PATTERN111:7};const t={N1:3,N2:3,N3:40,N4:10};e.isValid=function(i){return i!=null&&i!==""&&!isNaN(i)&&i>=0&&i<=7},e.from=function(i){return e.isValid(i)?parseInt(i,10):void 0},e.getPenaltyN1=function(i){const r=i.size;let s=0,c=0,l=0,p=null,d=null;for(let u=0;u<r;u++){c=l=0,p=d=null;for(let g=0;g<r;g++){let m=i.get(u,g);m===p?c++:(c>=5&&(s+=t.N1+(c-5)),p=m,c=1),m=i.get(g,u),m===d?l++:(l>=5&&(s+=t.N1+(l-5)),d=m,l=1)}c>=5&&(s+=t.N1+(c-5)),l>=5&&(s+=t.N1+(l-5))}return s},e.getPenaltyN2=function(i){const r=i.size;let s=0;for(let c=0;c<r-1;c++)for(let l=0;l<r-1;l++){const p=i.get(c,l)+i.get(c,l+1)+i.get(c+1,l)+i.get(c+1,l+1);(p===4||p===0)&&s++}return s*t.N2},e.getPenaltyN3=function(i){const r=i.size;let s=0,c=0,l=0;for(let p=0;p<r;p++){c=l=0;for(let d=0;d<r;d++)c=c<<1&2047|i.get(p,d),d>=10&&(c===1488||c===93)&&s++,l=l<<1&2047|i.get(d,p),d>=10&&(l===1488||l===93)&&s++}return s*t.N3},e.getPenaltyN4=function(i){let r=0;const s=i.data.length;for(let l=0;l<s;l++)r+=i.data[l];return Math.abs(Math.ceil(r*100/s/5)-10)*t.N4};function o(n,i,r){switch(n){case e.Patterns.PATTERN000:return(i+r)%2===0;case e.Patterns.PATTERN001:return i%2===0;case e.Patterns.PATTERN010:return r%3===0;case e.Patterns.PATTERN011:return(i+r)%3===0;case e.Patterns.PATTERN100:return(Math.floor(i/2)+Math.floor(r/3))%2===0;case e.Patterns.PATTERN101:return i*r%2+i*r%3===0;case e.Patterns.PATTERN110:return(i*r%2+i*r%3)%2===0;case e.Patterns.PATTERN111:return(i*r%3+(i+r)%2)%2===0;default:throw new Error("bad maskPattern:"+n)}}e.applyMask=function(i,r){const s=r.size;for(let c=0;c<s;c++)for(let l=0;l<s;l++)r.isReserved(l,c)||r.xor(l,c,o(i,l,c))},e.getBestMask=function(i,r){const s=Object.keys(e.Patterns).length;let c=0,l=1/0;for(let p=0;p<s;p++){r(p),e.applyMask(p,i);const d=e.getPenaltyN1(i)+e.getPenaltyN2(i)+e.getPenaltyN3(i)+e.getPenaltyN4(i);e.applyMask(p,i),d<l&&(l=d,c=p)}return c}})(be)),be}var ie={},ct;function Dt(){if(ct)return ie;ct=1;const e=Je(),t=[1,1,1,1,1,1,1,1,1,1,2,2,1,2,2,4,1,2,4,4,2,4,4,4,2,4,6,5,2,4,6,6,2,5,8,8,4,5,8,8,4,5,8,11,4,8,10,11,4,9,12,16,4,9,16,16,6,10,12,18,6,10,17,16,6,11,16,19,6,13,18,21,7,14,21,25,8,16,20,25,8,17,23,25,9,17,23,34,9,18,25,30,10,20,27,32,12,21,29,35,12,23,34,37,12,25,34,40,13,26,35,42,14,28,38,45,15,29,40,48,16,31,43,51,17,33,45,54,18,35,48,57,19,37,51,60,19,38,53,63,20,40,56,66,21,43,59,70,22,45,62,74,24,47,65,77,25,49,68,81],o=[7,10,13,17,10,16,22,28,15,26,36,44,20,36,52,64,26,48,72,88,36,64,96,112,40,72,108,130,48,88,132,156,60,110,160,192,72,130,192,224,80,150,224,264,96,176,260,308,104,198,288,352,120,216,320,384,132,240,360,432,144,280,408,480,168,308,448,532,180,338,504,588,196,364,546,650,224,416,600,700,224,442,644,750,252,476,690,816,270,504,750,900,300,560,810,960,312,588,870,1050,336,644,952,1110,360,700,1020,1200,390,728,1050,1260,420,784,1140,1350,450,812,1200,1440,480,868,1290,1530,510,924,1350,1620,540,980,1440,1710,570,1036,1530,1800,570,1064,1590,1890,600,1120,1680,1980,630,1204,1770,2100,660,1260,1860,2220,720,1316,1950,2310,750,1372,2040,2430];return ie.getBlocksCount=function(i,r){switch(r){case e.L:return t[(i-1)*4+0];case e.M:return t[(i-1)*4+1];case e.Q:return t[(i-1)*4+2];case e.H:return t[(i-1)*4+3];default:return}},ie.getTotalCodewordsCount=function(i,r){switch(r){case e.L:return o[(i-1)*4+0];case e.M:return o[(i-1)*4+1];case e.Q:return o[(i-1)*4+2];case e.H:return o[(i-1)*4+3];default:return}},ie}var ke={},te={},lt;function Sn(){if(lt)return te;lt=1;const e=new Uint8Array(512),t=new Uint8Array(256);return(function(){let n=1;for(let i=0;i<255;i++)e[i]=n,t[n]=i,n<<=1,n&256&&(n^=285);for(let i=255;i<512;i++)e[i]=e[i-255]})(),te.log=function(n){if(n<1)throw new Error("log("+n+")");return t[n]},te.exp=function(n){return e[n]},te.mul=function(n,i){return n===0||i===0?0:e[t[n]+t[i]]},te}var ut;function Tn(){return ut||(ut=1,(function(e){const t=Sn();e.mul=function(n,i){const r=new Uint8Array(n.length+i.length-1);for(let s=0;s<n.length;s++)for(let c=0;c<i.length;c++)r[s+c]^=t.mul(n[s],i[c]);return r},e.mod=function(n,i){let r=new Uint8Array(n);for(;r.length-i.length>=0;){const s=r[0];for(let l=0;l<i.length;l++)r[l]^=t.mul(i[l],s);let c=0;for(;c<r.length&&r[c]===0;)c++;r=r.slice(c)}return r},e.generateECPolynomial=function(n){let i=new Uint8Array([1]);for(let r=0;r<n;r++)i=e.mul(i,new Uint8Array([1,t.exp(r)]));return i}})(ke)),ke}var Ce,dt;function In(){if(dt)return Ce;dt=1;const e=Tn();function t(o){this.genPoly=void 0,this.degree=o,this.degree&&this.initialize(this.degree)}return t.prototype.initialize=function(n){this.degree=n,this.genPoly=e.generateECPolynomial(this.degree)},t.prototype.encode=function(n){if(!this.genPoly)throw new Error("Encoder not initialized");const i=new Uint8Array(n.length+this.degree);i.set(n);const r=e.mod(i,this.genPoly),s=this.degree-r.length;if(s>0){const c=new Uint8Array(this.degree);return c.set(r,s),c}return r},Ce=t,Ce}var Ee={},qe={},_e={},ft;function Lt(){return ft||(ft=1,_e.isValid=function(t){return!isNaN(t)&&t>=1&&t<=40}),_e}var H={},pt;function Ut(){if(pt)return H;pt=1;const e="[0-9]+",t="[A-Z $%*+\\-./:]+";let o="(?:[u3000-u303F]|[u3040-u309F]|[u30A0-u30FF]|[uFF00-uFFEF]|[u4E00-u9FAF]|[u2605-u2606]|[u2190-u2195]|u203B|[u2010u2015u2018u2019u2025u2026u201Cu201Du2225u2260]|[u0391-u0451]|[u00A7u00A8u00B1u00B4u00D7u00F7])+";o=o.replace(/u/g,"\\u");const n="(?:(?![A-Z0-9 $%*+\\-./:]|"+o+`)(?:.|[\r
]))+`;H.KANJI=new RegExp(o,"g"),H.BYTE_KANJI=new RegExp("[^A-Z0-9 $%*+\\-./:]+","g"),H.BYTE=new RegExp(n,"g"),H.NUMERIC=new RegExp(e,"g"),H.ALPHANUMERIC=new RegExp(t,"g");const i=new RegExp("^"+o+"$"),r=new RegExp("^"+e+"$"),s=new RegExp("^[A-Z0-9 $%*+\\-./:]+$");return H.testKanji=function(l){return i.test(l)},H.testNumeric=function(l){return r.test(l)},H.testAlphanumeric=function(l){return s.test(l)},H}var ht;function W(){return ht||(ht=1,(function(e){const t=Lt(),o=Ut();e.NUMERIC={id:"Numeric",bit:1,ccBits:[10,12,14]},e.ALPHANUMERIC={id:"Alphanumeric",bit:2,ccBits:[9,11,13]},e.BYTE={id:"Byte",bit:4,ccBits:[8,16,16]},e.KANJI={id:"Kanji",bit:8,ccBits:[8,10,12]},e.MIXED={bit:-1},e.getCharCountIndicator=function(r,s){if(!r.ccBits)throw new Error("Invalid mode: "+r);if(!t.isValid(s))throw new Error("Invalid version: "+s);return s>=1&&s<10?r.ccBits[0]:s<27?r.ccBits[1]:r.ccBits[2]},e.getBestModeForData=function(r){return o.testNumeric(r)?e.NUMERIC:o.testAlphanumeric(r)?e.ALPHANUMERIC:o.testKanji(r)?e.KANJI:e.BYTE},e.toString=function(r){if(r&&r.id)return r.id;throw new Error("Invalid mode")},e.isValid=function(r){return r&&r.bit&&r.ccBits};function n(i){if(typeof i!="string")throw new Error("Param is not a string");switch(i.toLowerCase()){case"numeric":return e.NUMERIC;case"alphanumeric":return e.ALPHANUMERIC;case"kanji":return e.KANJI;case"byte":return e.BYTE;default:throw new Error("Unknown mode: "+i)}}e.from=function(r,s){if(e.isValid(r))return r;try{return n(r)}catch{return s}}})(qe)),qe}var gt;function Pn(){return gt||(gt=1,(function(e){const t=Q(),o=Dt(),n=Je(),i=W(),r=Lt(),s=7973,c=t.getBCHDigit(s);function l(g,m,q){for(let h=1;h<=40;h++)if(m<=e.getCapacity(h,q,g))return h}function p(g,m){return i.getCharCountIndicator(g,m)+4}function d(g,m){let q=0;return g.forEach(function(h){const B=p(h.mode,m);q+=B+h.getBitsLength()}),q}function u(g,m){for(let q=1;q<=40;q++)if(d(g,q)<=e.getCapacity(q,m,i.MIXED))return q}e.from=function(m,q){return r.isValid(m)?parseInt(m,10):q},e.getCapacity=function(m,q,h){if(!r.isValid(m))throw new Error("Invalid QR Code version");typeof h>"u"&&(h=i.BYTE);const B=t.getSymbolTotalCodewords(m),P=o.getTotalCodewordsCount(m,q),A=(B-P)*8;if(h===i.MIXED)return A;const b=A-p(h,m);switch(h){case i.NUMERIC:return Math.floor(b/10*3);case i.ALPHANUMERIC:return Math.floor(b/11*2);case i.KANJI:return Math.floor(b/13);case i.BYTE:default:return Math.floor(b/8)}},e.getBestVersionForData=function(m,q){let h;const B=n.from(q,n.M);if(Array.isArray(m)){if(m.length>1)return u(m,B);if(m.length===0)return 1;h=m[0]}else h=m;return l(h.mode,h.getLength(),B)},e.getEncodedBits=function(m){if(!r.isValid(m)||m<7)throw new Error("Invalid QR Code version");let q=m<<12;for(;t.getBCHDigit(q)-c>=0;)q^=s<<t.getBCHDigit(q)-c;return m<<12|q}})(Ee)),Ee}var Be={},mt;function Rn(){if(mt)return Be;mt=1;const e=Q(),t=1335,o=21522,n=e.getBCHDigit(t);return Be.getEncodedBits=function(r,s){const c=r.bit<<3|s;let l=c<<10;for(;e.getBCHDigit(l)-n>=0;)l^=t<<e.getBCHDigit(l)-n;return(c<<10|l)^o},Be}var Se={},Te,$t;function An(){if($t)return Te;$t=1;const e=W();function t(o){this.mode=e.NUMERIC,this.data=o.toString()}return t.getBitsLength=function(n){return 10*Math.floor(n/3)+(n%3?n%3*3+1:0)},t.prototype.getLength=function(){return this.data.length},t.prototype.getBitsLength=function(){return t.getBitsLength(this.data.length)},t.prototype.write=function(n){let i,r,s;for(i=0;i+3<=this.data.length;i+=3)r=this.data.substr(i,3),s=parseInt(r,10),n.put(s,10);const c=this.data.length-i;c>0&&(r=this.data.substr(i),s=parseInt(r,10),n.put(s,c*3+1))},Te=t,Te}var Ie,yt;function Mn(){if(yt)return Ie;yt=1;const e=W(),t=["0","1","2","3","4","5","6","7","8","9","A","B","C","D","E","F","G","H","I","J","K","L","M","N","O","P","Q","R","S","T","U","V","W","X","Y","Z"," ","$","%","*","+","-",".","/",":"];function o(n){this.mode=e.ALPHANUMERIC,this.data=n}return o.getBitsLength=function(i){return 11*Math.floor(i/2)+6*(i%2)},o.prototype.getLength=function(){return this.data.length},o.prototype.getBitsLength=function(){return o.getBitsLength(this.data.length)},o.prototype.write=function(i){let r;for(r=0;r+2<=this.data.length;r+=2){let s=t.indexOf(this.data[r])*45;s+=t.indexOf(this.data[r+1]),i.put(s,11)}this.data.length%2&&i.put(t.indexOf(this.data[r]),6)},Ie=o,Ie}var Pe,vt;function Nn(){if(vt)return Pe;vt=1;const e=W();function t(o){this.mode=e.BYTE,typeof o=="string"?this.data=new TextEncoder().encode(o):this.data=new Uint8Array(o)}return t.getBitsLength=function(n){return n*8},t.prototype.getLength=function(){return this.data.length},t.prototype.getBitsLength=function(){return t.getBitsLength(this.data.length)},t.prototype.write=function(o){for(let n=0,i=this.data.length;n<i;n++)o.put(this.data[n],8)},Pe=t,Pe}var Re,wt;function Dn(){if(wt)return Re;wt=1;const e=W(),t=Q();function o(n){this.mode=e.KANJI,this.data=n}return o.getBitsLength=function(i){return i*13},o.prototype.getLength=function(){return this.data.length},o.prototype.getBitsLength=function(){return o.getBitsLength(this.data.length)},o.prototype.write=function(n){let i;for(i=0;i<this.data.length;i++){let r=t.toSJIS(this.data[i]);if(r>=33088&&r<=40956)r-=33088;else if(r>=57408&&r<=60351)r-=49472;else throw new Error("Invalid SJIS character: "+this.data[i]+`
Make sure your charset is UTF-8`);r=(r>>>8&255)*192+(r&255),n.put(r,13)}},Re=o,Re}var Ae={exports:{}},bt;function Ln(){return bt||(bt=1,(function(e){var t={single_source_shortest_paths:function(o,n,i){var r={},s={};s[n]=0;var c=t.PriorityQueue.make();c.push(n,0);for(var l,p,d,u,g,m,q,h,B;!c.empty();){l=c.pop(),p=l.value,u=l.cost,g=o[p]||{};for(d in g)g.hasOwnProperty(d)&&(m=g[d],q=u+m,h=s[d],B=typeof s[d]>"u",(B||h>q)&&(s[d]=q,c.push(d,q),r[d]=p))}if(typeof i<"u"&&typeof s[i]>"u"){var P=["Could not find a path from ",n," to ",i,"."].join("");throw new Error(P)}return r},extract_shortest_path_from_predecessor_list:function(o,n){for(var i=[],r=n;r;)i.push(r),o[r],r=o[r];return i.reverse(),i},find_path:function(o,n,i){var r=t.single_source_shortest_paths(o,n,i);return t.extract_shortest_path_from_predecessor_list(r,i)},PriorityQueue:{make:function(o){var n=t.PriorityQueue,i={},r;o=o||{};for(r in n)n.hasOwnProperty(r)&&(i[r]=n[r]);return i.queue=[],i.sorter=o.sorter||n.default_sorter,i},default_sorter:function(o,n){return o.cost-n.cost},push:function(o,n){var i={value:o,cost:n};this.queue.push(i),this.queue.sort(this.sorter)},pop:function(){return this.queue.shift()},empty:function(){return this.queue.length===0}}};e.exports=t})(Ae)),Ae.exports}var kt;function Un(){return kt||(kt=1,(function(e){const t=W(),o=An(),n=Mn(),i=Nn(),r=Dn(),s=Ut(),c=Q(),l=Ln();function p(P){return unescape(encodeURIComponent(P)).length}function d(P,A,b){const _=[];let M;for(;(M=P.exec(b))!==null;)_.push({data:M[0],index:M.index,mode:A,length:M[0].length});return _}function u(P){const A=d(s.NUMERIC,t.NUMERIC,P),b=d(s.ALPHANUMERIC,t.ALPHANUMERIC,P);let _,M;return c.isKanjiModeEnabled()?(_=d(s.BYTE,t.BYTE,P),M=d(s.KANJI,t.KANJI,P)):(_=d(s.BYTE_KANJI,t.BYTE,P),M=[]),A.concat(b,_,M).sort(function($,C){return $.index-C.index}).map(function($){return{data:$.data,mode:$.mode,length:$.length}})}function g(P,A){switch(A){case t.NUMERIC:return o.getBitsLength(P);case t.ALPHANUMERIC:return n.getBitsLength(P);case t.KANJI:return r.getBitsLength(P);case t.BYTE:return i.getBitsLength(P)}}function m(P){return P.reduce(function(A,b){const _=A.length-1>=0?A[A.length-1]:null;return _&&_.mode===b.mode?(A[A.length-1].data+=b.data,A):(A.push(b),A)},[])}function q(P){const A=[];for(let b=0;b<P.length;b++){const _=P[b];switch(_.mode){case t.NUMERIC:A.push([_,{data:_.data,mode:t.ALPHANUMERIC,length:_.length},{data:_.data,mode:t.BYTE,length:_.length}]);break;case t.ALPHANUMERIC:A.push([_,{data:_.data,mode:t.BYTE,length:_.length}]);break;case t.KANJI:A.push([_,{data:_.data,mode:t.BYTE,length:p(_.data)}]);break;case t.BYTE:A.push([{data:_.data,mode:t.BYTE,length:p(_.data)}])}}return A}function h(P,A){const b={},_={start:{}};let M=["start"];for(let k=0;k<P.length;k++){const $=P[k],C=[];for(let y=0;y<$.length;y++){const T=$[y],S=""+k+y;C.push(S),b[S]={node:T,lastCount:0},_[S]={};for(let R=0;R<M.length;R++){const I=M[R];b[I]&&b[I].node.mode===T.mode?(_[I][S]=g(b[I].lastCount+T.length,T.mode)-g(b[I].lastCount,T.mode),b[I].lastCount+=T.length):(b[I]&&(b[I].lastCount=T.length),_[I][S]=g(T.length,T.mode)+4+t.getCharCountIndicator(T.mode,A))}}M=C}for(let k=0;k<M.length;k++)_[M[k]].end=0;return{map:_,table:b}}function B(P,A){let b;const _=t.getBestModeForData(P);if(b=t.from(A,_),b!==t.BYTE&&b.bit<_.bit)throw new Error('"'+P+'" cannot be encoded with mode '+t.toString(b)+`.
 Suggested mode is: `+t.toString(_));switch(b===t.KANJI&&!c.isKanjiModeEnabled()&&(b=t.BYTE),b){case t.NUMERIC:return new o(P);case t.ALPHANUMERIC:return new n(P);case t.KANJI:return new r(P);case t.BYTE:return new i(P)}}e.fromArray=function(A){return A.reduce(function(b,_){return typeof _=="string"?b.push(B(_,null)):_.data&&b.push(B(_.data,_.mode)),b},[])},e.fromString=function(A,b){const _=u(A,c.isKanjiModeEnabled()),M=q(_),k=h(M,b),$=l.find_path(k.map,"start","end"),C=[];for(let y=1;y<$.length-1;y++)C.push(k.table[$[y]].node);return e.fromArray(m(C))},e.rawSplit=function(A){return e.fromArray(u(A,c.isKanjiModeEnabled()))}})(Se)),Se}var Ct;function Fn(){if(Ct)return ge;Ct=1;const e=Q(),t=Je(),o=Cn(),n=En(),i=qn(),r=_n(),s=Bn(),c=Dt(),l=In(),p=Pn(),d=Rn(),u=W(),g=Un();function m(k,$){const C=k.size,y=r.getPositions($);for(let T=0;T<y.length;T++){const S=y[T][0],R=y[T][1];for(let I=-1;I<=7;I++)if(!(S+I<=-1||C<=S+I))for(let w=-1;w<=7;w++)R+w<=-1||C<=R+w||(I>=0&&I<=6&&(w===0||w===6)||w>=0&&w<=6&&(I===0||I===6)||I>=2&&I<=4&&w>=2&&w<=4?k.set(S+I,R+w,!0,!0):k.set(S+I,R+w,!1,!0))}}function q(k){const $=k.size;for(let C=8;C<$-8;C++){const y=C%2===0;k.set(C,6,y,!0),k.set(6,C,y,!0)}}function h(k,$){const C=i.getPositions($);for(let y=0;y<C.length;y++){const T=C[y][0],S=C[y][1];for(let R=-2;R<=2;R++)for(let I=-2;I<=2;I++)R===-2||R===2||I===-2||I===2||R===0&&I===0?k.set(T+R,S+I,!0,!0):k.set(T+R,S+I,!1,!0)}}function B(k,$){const C=k.size,y=p.getEncodedBits($);let T,S,R;for(let I=0;I<18;I++)T=Math.floor(I/3),S=I%3+C-8-3,R=(y>>I&1)===1,k.set(T,S,R,!0),k.set(S,T,R,!0)}function P(k,$,C){const y=k.size,T=d.getEncodedBits($,C);let S,R;for(S=0;S<15;S++)R=(T>>S&1)===1,S<6?k.set(S,8,R,!0):S<8?k.set(S+1,8,R,!0):k.set(y-15+S,8,R,!0),S<8?k.set(8,y-S-1,R,!0):S<9?k.set(8,15-S-1+1,R,!0):k.set(8,15-S-1,R,!0);k.set(y-8,8,1,!0)}function A(k,$){const C=k.size;let y=-1,T=C-1,S=7,R=0;for(let I=C-1;I>0;I-=2)for(I===6&&I--;;){for(let w=0;w<2;w++)if(!k.isReserved(T,I-w)){let N=!1;R<$.length&&(N=($[R]>>>S&1)===1),k.set(T,I-w,N),S--,S===-1&&(R++,S=7)}if(T+=y,T<0||C<=T){T-=y,y=-y;break}}}function b(k,$,C){const y=new o;C.forEach(function(w){y.put(w.mode.bit,4),y.put(w.getLength(),u.getCharCountIndicator(w.mode,k)),w.write(y)});const T=e.getSymbolTotalCodewords(k),S=c.getTotalCodewordsCount(k,$),R=(T-S)*8;for(y.getLengthInBits()+4<=R&&y.put(0,4);y.getLengthInBits()%8!==0;)y.putBit(0);const I=(R-y.getLengthInBits())/8;for(let w=0;w<I;w++)y.put(w%2?17:236,8);return _(y,k,$)}function _(k,$,C){const y=e.getSymbolTotalCodewords($),T=c.getTotalCodewordsCount($,C),S=y-T,R=c.getBlocksCount($,C),I=y%R,w=R-I,N=Math.floor(y/R),U=Math.floor(S/R),ee=U+1,Ye=N-U,zt=new l(Ye);let ce=0;const re=new Array(R),Ge=new Array(R);let le=0;const Vt=new Uint8Array(k.buffer);for(let Z=0;Z<R;Z++){const de=Z<w?U:ee;re[Z]=Vt.slice(ce,ce+de),Ge[Z]=zt.encode(re[Z]),ce+=de,le=Math.max(le,de)}const ue=new Uint8Array(y);let Qe=0,x,J;for(x=0;x<le;x++)for(J=0;J<R;J++)x<re[J].length&&(ue[Qe++]=re[J][x]);for(x=0;x<Ye;x++)for(J=0;J<R;J++)ue[Qe++]=Ge[J][x];return ue}function M(k,$,C,y){let T;if(Array.isArray(k))T=g.fromArray(k);else if(typeof k=="string"){let N=$;if(!N){const U=g.rawSplit(k);N=p.getBestVersionForData(U,C)}T=g.fromString(k,N||40)}else throw new Error("Invalid data");const S=p.getBestVersionForData(T,C);if(!S)throw new Error("The amount of data is too big to be stored in a QR Code");if(!$)$=S;else if($<S)throw new Error(`
The chosen QR Code version cannot contain this amount of data.
Minimum version required to store current data is: `+S+`.
`);const R=b($,C,T),I=e.getSymbolSize($),w=new n(I);return m(w,$),q(w),h(w,$),P(w,C,0),$>=7&&B(w,$),A(w,R),isNaN(y)&&(y=s.getBestMask(w,P.bind(null,w,C))),s.applyMask(y,w),P(w,C,y),{modules:w,version:$,errorCorrectionLevel:C,maskPattern:y,segments:T}}return ge.create=function($,C){if(typeof $>"u"||$==="")throw new Error("No input text");let y=t.M,T,S;return typeof C<"u"&&(y=t.from(C.errorCorrectionLevel,t.M),T=p.from(C.version),S=s.from(C.maskPattern),C.toSJISFunc&&e.setToSJISFunction(C.toSJISFunc)),M($,T,y,S)},ge}var Me={},Ne={},Et;function Ft(){return Et||(Et=1,(function(e){function t(o){if(typeof o=="number"&&(o=o.toString()),typeof o!="string")throw new Error("Color should be defined as hex string");let n=o.slice().replace("#","").split("");if(n.length<3||n.length===5||n.length>8)throw new Error("Invalid hex color: "+o);(n.length===3||n.length===4)&&(n=Array.prototype.concat.apply([],n.map(function(r){return[r,r]}))),n.length===6&&n.push("F","F");const i=parseInt(n.join(""),16);return{r:i>>24&255,g:i>>16&255,b:i>>8&255,a:i&255,hex:"#"+n.slice(0,6).join("")}}e.getOptions=function(n){n||(n={}),n.color||(n.color={});const i=typeof n.margin>"u"||n.margin===null||n.margin<0?4:n.margin,r=n.width&&n.width>=21?n.width:void 0,s=n.scale||4;return{width:r,scale:r?4:s,margin:i,color:{dark:t(n.color.dark||"#000000ff"),light:t(n.color.light||"#ffffffff")},type:n.type,rendererOpts:n.rendererOpts||{}}},e.getScale=function(n,i){return i.width&&i.width>=n+i.margin*2?i.width/(n+i.margin*2):i.scale},e.getImageWidth=function(n,i){const r=e.getScale(n,i);return Math.floor((n+i.margin*2)*r)},e.qrToImageData=function(n,i,r){const s=i.modules.size,c=i.modules.data,l=e.getScale(s,r),p=Math.floor((s+r.margin*2)*l),d=r.margin*l,u=[r.color.light,r.color.dark];for(let g=0;g<p;g++)for(let m=0;m<p;m++){let q=(g*p+m)*4,h=r.color.light;if(g>=d&&m>=d&&g<p-d&&m<p-d){const B=Math.floor((g-d)/l),P=Math.floor((m-d)/l);h=u[c[B*s+P]?1:0]}n[q++]=h.r,n[q++]=h.g,n[q++]=h.b,n[q]=h.a}}})(Ne)),Ne}var qt;function On(){return qt||(qt=1,(function(e){const t=Ft();function o(i,r,s){i.clearRect(0,0,r.width,r.height),r.style||(r.style={}),r.height=s,r.width=s,r.style.height=s+"px",r.style.width=s+"px"}function n(){try{return document.createElement("canvas")}catch{throw new Error("You need to specify a canvas element")}}e.render=function(r,s,c){let l=c,p=s;typeof l>"u"&&(!s||!s.getContext)&&(l=s,s=void 0),s||(p=n()),l=t.getOptions(l);const d=t.getImageWidth(r.modules.size,l),u=p.getContext("2d"),g=u.createImageData(d,d);return t.qrToImageData(g.data,r,l),o(u,p,d),u.putImageData(g,0,0),p},e.renderToDataURL=function(r,s,c){let l=c;typeof l>"u"&&(!s||!s.getContext)&&(l=s,s=void 0),l||(l={});const p=e.render(r,s,l),d=l.type||"image/png",u=l.rendererOpts||{};return p.toDataURL(d,u.quality)}})(Me)),Me}var De={},_t;function jn(){if(_t)return De;_t=1;const e=Ft();function t(i,r){const s=i.a/255,c=r+'="'+i.hex+'"';return s<1?c+" "+r+'-opacity="'+s.toFixed(2).slice(1)+'"':c}function o(i,r,s){let c=i+r;return typeof s<"u"&&(c+=" "+s),c}function n(i,r,s){let c="",l=0,p=!1,d=0;for(let u=0;u<i.length;u++){const g=Math.floor(u%r),m=Math.floor(u/r);!g&&!p&&(p=!0),i[u]?(d++,u>0&&g>0&&i[u-1]||(c+=p?o("M",g+s,.5+m+s):o("m",l,0),l=0,p=!1),g+1<r&&i[u+1]||(c+=o("h",d),d=0)):l++}return c}return De.render=function(r,s,c){const l=e.getOptions(s),p=r.modules.size,d=r.modules.data,u=p+l.margin*2,g=l.color.light.a?"<path "+t(l.color.light,"fill")+' d="M0 0h'+u+"v"+u+'H0z"/>':"",m="<path "+t(l.color.dark,"stroke")+' d="'+n(d,p,l.margin)+'"/>',q='viewBox="0 0 '+u+" "+u+'"',B='<svg xmlns="http://www.w3.org/2000/svg" '+(l.width?'width="'+l.width+'" height="'+l.width+'" ':"")+q+' shape-rendering="crispEdges">'+g+m+`</svg>
`;return typeof c=="function"&&c(null,B),B},De}var Bt;function zn(){if(Bt)return X;Bt=1;const e=kn(),t=Fn(),o=On(),n=jn();function i(r,s,c,l,p){const d=[].slice.call(arguments,1),u=d.length,g=typeof d[u-1]=="function";if(!g&&!e())throw new Error("Callback required as last argument");if(g){if(u<2)throw new Error("Too few arguments provided");u===2?(p=c,c=s,s=l=void 0):u===3&&(s.getContext&&typeof p>"u"?(p=l,l=void 0):(p=l,l=c,c=s,s=void 0))}else{if(u<1)throw new Error("Too few arguments provided");return u===1?(c=s,s=l=void 0):u===2&&!s.getContext&&(l=c,c=s,s=void 0),new Promise(function(m,q){try{const h=t.create(c,l);m(r(h,s,l))}catch(h){q(h)}})}try{const m=t.create(c,l);p(null,r(m,s,l))}catch(m){p(m)}}return X.create=t.create,X.toCanvas=i.bind(null,o.render),X.toDataURL=i.bind(null,o.renderToDataURL),X.toString=i.bind(null,function(r,s,c){return n.render(r,c)}),X}var Vn=zn();const Kn=bn(Vn);function Ot({text:e,label:t}){const[o,n]=v("");return V(()=>{Kn.toString(e,{type:"svg",errorCorrectionLevel:"M",margin:2}).then(i=>n("data:image/svg+xml;charset=utf-8,"+encodeURIComponent(i)),()=>n(""))},[e]),o?f`<img class="qr" src=${o} alt=${t} width="260" height="260" data-testid="qr" />`:null}const Hn=[15,60,1440,10080];function xn(){const e=j(),[t,o]=v(e.equivalents[0]?.code||""),[n,i]=v(""),[r,s]=v(""),[c,l]=v(60),[p,d]=v({}),[u,g]=v(null),[m,q]=v(""),[h,B]=v(!1),P=b=>{b.preventDefault(),q(""),g(null);const _={};try{se(n,G(t)),/^0*(\.0*)?$/.test(n)&&(_.amount=a("pay.positive"))}catch(M){_.amount=L(M)}if(d(_),!Object.keys(_).length){if(typeof Ze!="function")return q(a("invoice.unsupported"));try{const M=new Date(Date.now()+c*6e4).toISOString().replace(/\.\d+Z$/,"Z"),k=Ze(e.identity,{hub:e.client.hubPid,equivalent:t,amount:n,...r?{description:r}:{},expires_at:M});g(k)}catch(M){q(L(M))}}},A=async()=>{try{await navigator.clipboard.writeText(u.uri),B(!0)}catch{B(!1)}};return f`<section data-testid="request">
    <h1>${a("nav.request")}</h1>
    <form class="card" onSubmit=${P} novalidate>
      <p class="note">${a("request.explain")}</p>
      <${D} id="req-eq" label=${a("equivalent")}>
        <select id="req-eq" value=${t} onChange=${b=>o(b.currentTarget.value)}>
          ${e.equivalents.map(b=>f`<option value=${b.code}>${b.code}</option>`)}
        </select>
      <//>
      <${D} id="req-amount" label=${a("amount")} hint=${a("amount.hint",{n:G(t)})} error=${p.amount}>
        <input id="req-amount" inputmode="decimal" autocomplete="off" value=${n} onInput=${b=>i(b.currentTarget.value.trim())} aria-describedby="req-amount-hint" />
      <//>
      <${D} id="req-desc" label=${a("pay.description")}>
        <input id="req-desc" maxlength="200" value=${r} onInput=${b=>s(b.currentTarget.value)} />
      <//>
      <${D} id="req-expiry" label=${a("request.expiry")}>
        <select id="req-expiry" value=${c} onChange=${b=>l(Number(b.currentTarget.value))}>
          ${Hn.map(b=>f`<option value=${b}>${a("request.minutes_"+b)}</option>`)}
        </select>
      <//>
      <button type="submit">${a("request.make")}</button>
    </form>
    <${O} kind="error">${m}<//>
    ${u&&f`<article class="card request-made" data-testid="request-made">
      <h2>${a("request.show")}</h2>
      <p class="big">${u.invoice.amount} ${u.invoice.equivalent}</p>
      <${Ot} text=${u.uri} label=${a("request.qr_label",{amount:u.invoice.amount,equivalent:u.invoice.equivalent})} />
      <${D} id="req-link" label=${a("request.link")}>
        <textarea id="req-link" readonly rows="3" data-testid="request-link" value=${u.uri}></textarea>
      <//>
      <button type="button" class="secondary" onClick=${A}>${h?a("request.copied"):a("request.copy")}</button>
    </article>`}
  </section>`}const Jn=20;function Yn(){const e=j(),[t,o]=v(""),[n,i]=v(""),[r,s]=v(""),[c,l]=v([]),[p,d]=v(null),[u,g]=v(""),m=()=>({limit:Jn,...t?{direction:t}:{},...n?{equivalent:n}:{},...r?{status:r}:{}}),q=async h=>{try{const B=await e.client.historyPage(m(),h||void 0);l(h?[...c,...B.items]:B.items),d(B.next_cursor||null),g("")}catch(B){g(L(B))}};return V(()=>{q(null)},[t,n,r,e.refresh]),f`<section data-testid="history">
    <h1>${a("nav.history")}</h1>
    <div class="card filters">
      <${D} id="h-dir" label=${a("history.direction")}>
        <select id="h-dir" value=${t} onChange=${h=>o(h.currentTarget.value)}>
          <option value="">${a("history.all")}</option>
          <option value="sent">${a("history.sent")}</option>
          <option value="received">${a("history.received")}</option>
        </select>
      <//>
      <${D} id="h-eq" label=${a("equivalent")}>
        <select id="h-eq" value=${n} onChange=${h=>i(h.currentTarget.value)}>
          <option value="">${a("history.all")}</option>
          ${e.equivalents.map(h=>f`<option value=${h.code}>${h.code}</option>`)}
        </select>
      <//>
      <${D} id="h-status" label=${a("history.status")}>
        <select id="h-status" value=${r} onChange=${h=>s(h.currentTarget.value)}>
          <option value="">${a("history.all")}</option>
          <option value="committed">${a("status.committed")}</option>
          <option value="aborted">${a("status.aborted")}</option>
          <option value="prepared">${a("status.prepared")}</option>
        </select>
      <//>
    </div>
    <${O} kind="error">${u}<//>
    ${c.length===0&&!u&&f`<p class="card">${a("history.none")}</p>`}
    <ul class="history">
      ${c.map(h=>{const B=h.payer===e.me.pid;return f`<li key=${h.tx_id} class="card payment ${B?"sent":"received"}" data-testid="payment">
          <div class="amount ${B?"negative":""}">${B?"−":"+"}${h.amount} ${h.equivalent}</div>
          <div>${B?a("history.to"):a("history.from")} <${F} pid=${B?h.payee:h.payer} /></div>
          ${h.description&&f`<div class="desc">${h.description}</div>`}
          <small>${a("status."+h.status)} · <time datetime=${h.created_at}>${new Date(h.created_at).toLocaleString()}</time></small>
        </li>`})}
    </ul>
    ${p&&f`<button class="secondary" onClick=${()=>q(p)}>${a("history.more")}</button>`}
  </section>`}function St({edges:e}){return f`<ul class="edges">
    ${e.map((t,o)=>f`<li key=${o}><${F} pid=${t.debtor} /> → <${F} pid=${t.creditor} />: <strong>${t.amount}</strong></li>`)}
  </ul>`}function Gn(){const e=j(),[t,o]=v([]),[n,i]=v([]),[r,s]=v(null),c=async()=>{const[d,u]=await Promise.all([e.client.clearingProposals(),e.client.clearings()]);o(d),i(u)};V(()=>{c().catch(d=>s({kind:"error",text:L(d)}))},[e.refresh]);const l=async(d,u)=>{s(null);try{const g=await e.client.consent(d,u);s({kind:"ok",text:a(u==="accept"?"clearing.accepted":"clearing.rejected",{status:g.status})}),await c(),K()}catch(g){s({kind:"error",text:L(g)})}},p=d=>d.consent_required_from.includes(e.me.pid)&&!d.accepted_by.includes(e.me.pid);return f`<section data-testid="clearing">
    <h1>${a("nav.clearing")}</h1>
    <p class="note">${a("clearing.explain")}</p>
    <${O} kind=${r?.kind} testid="clearing-message">${r?.text}<//>
    <h2>${a("clearing.proposals")}</h2>
    ${t.length===0&&f`<p class="card">${a("clearing.no_proposals")}</p>`}
    ${t.map(d=>{const g=(typeof d.proposal=="string"?JSON.parse(d.proposal):d.proposal).payload.edges;return f`<article class="card proposal" key=${d.clearing_id} data-testid="proposal">
        <h3>${a("clearing.proposal",{equivalent:d.equivalent})}</h3>
        <${St} edges=${g} />
        <small>${a("clearing.expires",{at:new Date(d.expires_at).toLocaleString()})}</small>
        ${p(d)?f`<div class="actions">
              <button onClick=${()=>l(d,"accept")}>${a("clearing.accept")}</button>
              <button class="danger" onClick=${()=>l(d,"reject")}>${a("clearing.reject")}</button>
            </div>`:f`<p>${a("clearing.waiting")}</p>`}
      </article>`})}
    <h2>${a("clearing.done")}</h2>
    ${n.length===0&&f`<p class="card">${a("clearing.none_done")}</p>`}
    ${n.map(d=>f`<article class="card" key=${d.clearing_id} data-testid="cleared">
      <h3>${a("clearing.cleared_at",{equivalent:d.equivalent,at:new Date(d.at).toLocaleString()})}</h3>
      <${St} edges=${d.edges.filter(u=>u.debtor===e.me.pid||u.creditor===e.me.pid)} />
    </article>`)}
  </section>`}const Oe=340,z=Oe/2;function Qn(){const e=j(),[t,o]=v(e.equivalents[0]?.code||""),[n,i]=v([]),[r,s]=v("");V(()=>{t&&e.client.debts(t).then(i,u=>s(L(u)))},[t,e.refresh]);const c=G(t),l=n.length>1?z-52:0,p=n.map((u,g)=>{const m=2*Math.PI*g/Math.max(1,n.length)-Math.PI/2;return{...u,x:z+(n.length===1?0:l*Math.cos(m)),y:n.length===1?z-(z-52):z+l*Math.sin(m)}}),d=u=>u.display_name||u.pid.slice(0,6);return f`<section data-testid="network">
    <h1>${a("nav.network")}</h1>
    <div class="card">
      <${D} id="net-eq" label=${a("equivalent")}>
        <select id="net-eq" value=${t} onChange=${u=>o(u.currentTarget.value)}>
          ${e.equivalents.map(u=>f`<option value=${u.code}>${u.code}</option>`)}
        </select>
      <//>
      <${O} kind="error">${r}<//>
      <svg class="network" viewBox=${`0 0 ${Oe} ${Oe}`} role="img" aria-label=${a("network.picture",{n:n.length})}>
        ${p.map(u=>{const g=ae(u.i_owe,c)>0n,m=ae(u.owes_me,c)>0n;return f`<g key=${u.pid}>
            <line x1=${z} y1=${z} x2=${u.x} y2=${u.y} class=${g?"edge owe":m?"edge owed":"edge"} />
          </g>`})}
        <circle cx=${z} cy=${z} r="30" class="me" />
        <text x=${z} y=${z+5} text-anchor="middle" class="me-label">${a("you")}</text>
        ${p.map(u=>f`<g key=${"n"+u.pid}>
          <circle cx=${u.x} cy=${u.y} r="24" class="member" />
          <text x=${u.x} y=${u.y+4} text-anchor="middle" class="member-label">${d(u).slice(0,8)}</text>
        </g>`)}
      </svg>
      <p class="legend"><span class="key owe"></span> ${a("network.i_owe")} <span class="key owed"></span> ${a("network.owes_me")}</p>
    </div>
    <ul class="card people">
      ${n.length===0&&f`<li>${a("network.alone")}</li>`}
      ${n.map(u=>f`<li key=${u.pid} data-testid="neighbour">
        <${F} pid=${u.pid} />
        <div>${a("network.row",{i_owe:u.i_owe,owes_me:u.owes_me,given:u.limit_given,received:u.limit_received,equivalent:t})}</div>
      </li>`)}
    </ul>
  </section>`}function jt({event:e}){const t=e.data||{};switch(e.kind){case"payment_received":return f`<span>${a("event.received",{amount:t.amount,equivalent:t.equivalent})} <${F} pid=${t.payer} /></span>`;case"payment_sent":return f`<span>${a("event.sent",{amount:t.amount,equivalent:t.equivalent})} <${F} pid=${t.payee} /></span>`;case"payment_relayed":return f`<span>${a("event.relayed",{amount:t.amount,equivalent:t.equivalent})}</span>`;case"payment_aborted":return f`<span>${a("event.aborted",{amount:t.amount,equivalent:t.equivalent})}</span>`;case"trust_line_changed":return t.status==="closed"?f`<span>${a("event.line_closed",{equivalent:t.equivalent})} <${F} pid=${t.creditor===E.me?.pid?t.debtor:t.creditor} /></span>`:f`<span>${a("event.line_set",{limit:t.limit,equivalent:t.equivalent})} <${F} pid=${t.creditor} /> → <${F} pid=${t.debtor} /></span>`;case"clearing_proposed":return f`<span>${a("event.clearing_proposed",{equivalent:t.equivalent})}</span>`;case"clearing_committed":return f`<span>${a("event.clearing_committed",{equivalent:t.equivalent})}</span>`;case"participant_status_changed":return f`<span>${a("event.status",{status:t.status})}</span>`;default:return f`<span>${e.kind}</span>`}}function Wn(){const e=j();return V(()=>{e.unread&&(e.unread=0,K())},[e.notifications.length]),f`<section data-testid="notifications">
    <h1>${a("nav.notifications")}</h1>
    ${e.notifications.length===0&&f`<p class="card">${a("notifications.none")}</p>`}
    <ul class="notifications">
      ${e.notifications.map(t=>f`<li key=${t.id} class="card" data-kind=${t.kind}><${jt} event=${t} /></li>`)}
    </ul>
  </section>`}function Zn(){const e=j(),t=()=>{const o=new Blob([e.record.keyFile],{type:"application/json"}),n=document.createElement("a");n.href=URL.createObjectURL(o),n.download=`geo-key-${e.me.pid.slice(0,8)}.json`,n.click(),setTimeout(()=>URL.revokeObjectURL(n.href),1e3)};return f`<section data-testid="settings">
    <h1>${a("nav.settings")}</h1>
    <div class="card">
      <h2>${a("settings.me")}</h2>
      <p><strong>${e.me.display_name}</strong></p>
      <p><code class="pid" data-testid="my-pid">${e.me.pid}</code></p>
      <${Ot} text=${e.me.pid} label=${a("settings.pid_qr")} />
    </div>
    <div class="card">
      <h2>${a("settings.key")}</h2>
      <p class="note">${a("welcome.secret")}</p>
      <button class="secondary" onClick=${t}>${a("settings.export")}</button>
    </div>
    <div class="card">
      <h2>${a("language")}</h2>
      <${Tt} />
    </div>
    <div class="card actions">
      <button class="secondary" onClick=${Rt}>${a("settings.lock")}</button>
      <button class="danger" onClick=${()=>confirm(a("unlock.forget_confirm"))&&At()}>${a("unlock.forget")}</button>
    </div>
  </section>`}const je=[["/","nav.home",pn],["/pay","nav.pay",wn],["/request","nav.request",xn],["/trust","nav.trust",gn],["/history","nav.history",Yn],["/clearing","nav.clearing",Gn],["/network","nav.network",Qn],["/notifications","nav.notifications",Wn],["/settings","nav.settings",Zn]];function Xn(){const[e,t]=v("welcome"),o=()=>t("welcome");return e==="create"?f`<${ln} back=${o} />`:e==="restore"?f`<${un} back=${o} />`:f`<${sn} go=${t} />`}function er(){const e=j();return e.toast?f`<div class="toast" role="status" data-testid="toast">
    <${jt} event=${e.toast} />
    <button class="link" aria-label=${a("close")} onClick=${()=>{e.toast=null,K()}}>×</button>
  </div>`:null}function tr(){const e=j(),t=e.path.split("?")[0];return f`<nav aria-label=${a("nav.label")}>
    <ul>
      ${je.map(([o,n])=>f`<li key=${o}>
        <a href=${o} aria-current=${t===o?"page":void 0}
          onClick=${i=>{i.preventDefault(),ne(o)}}>
          ${a(n)}${o==="/notifications"&&e.unread?f` <span class="badge" aria-label=${a("notifications.unread",{n:e.unread})}>${e.unread}</span>`:""}
        </a>
      </li>`)}
    </ul>
  </nav>`}function nr(){Gt();const e=j();let t;if(e.stage==="loading")t=f`<p>${a("working")}</p>`;else if(e.stage==="welcome")t=f`<${Xn} />`;else if(e.stage==="locked")t=f`<${dn} />`;else if(e.stage==="register")t=f`<${fn} />`;else{const n=e.path.split("?")[0],i=je.find(([r])=>r===n)||je[0];t=f`<${i[2]} key=${i[0]} />`}const o=e.stage==="ready";return f`<div class="app ${o?"with-nav":""}">
    <a class="skip" href="#main">${a("skip")}</a>
    <header>
      <span class="brand" aria-hidden="true">GEO</span>
      <span class="title">${a("app.wallet")}</span>
      <${Tt} />
    </header>
    <${Qt} />
    ${o&&f`<${tr} />`}
    <main id="main" tabindex="-1">${t}</main>
    ${o&&f`<${er} />`}
  </div>`}Jt(f`<${nr} />`,document.getElementById("app"));Yt();tn().then(()=>rr());function rr(){performance.mark("interactive"),document.body.setAttribute("data-ready","1")}
