const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/shared-CKc3Kxxz.js","assets/shared-a6348mpB.css"])))=>i.map(i=>d[i]);
import{m as at,_ as st,d as m,h as j,F as S,M as T,t as r,a as f,e as k,s as Y,R as ot,u as ct,L as dt,O as _t}from"./shared-CKc3Kxxz.js";class H{__destroy_into_raw(){const t=this.__wbg_ptr;return this.__wbg_ptr=0,J.unregister(this),t}free(){const t=this.__destroy_into_raw();s.__wbg_adminclient_free(t,0)}clearings(t){var i=v(t)?0:y(t,s.__wbindgen_export,s.__wbindgen_export2),n=h;return s.adminclient_clearings(this.__wbg_ptr,i,n)}integrity(){return s.adminclient_integrity(this.__wbg_ptr)}constructor(t,i){let n,a,o,c;try{n=y(t,s.__wbindgen_export,s.__wbindgen_export2),a=h,o=y(i,s.__wbindgen_export,s.__wbindgen_export2),c=h}catch(d){throw o&&s.__wbindgen_export3(o,c*1,1),n&&s.__wbindgen_export3(n,a*1,1),d}const _=s.adminclient_new(n,a,o,c);return this.__wbg_ptr=_,J.register(this,this.__wbg_ptr,this),this}participants(t,i){const n=+(v(i)?Number.MAX_SAFE_INTEGER:i>>>0),a=y(t,s.__wbindgen_export,s.__wbindgen_export2),o=h;return s.adminclient_participants(this.__wbg_ptr,a,o,n)}runClearing(t){const i=y(t,s.__wbindgen_export,s.__wbindgen_export2),n=h;return s.adminclient_runClearing(this.__wbg_ptr,i,n)}setEquivalent(t,i,n){const a=+i;let o,c,_,d;try{o=y(t,s.__wbindgen_export,s.__wbindgen_export2),c=h,_=v(n)?0:y(n,s.__wbindgen_export,s.__wbindgen_export2),d=h}catch(w){throw _&&s.__wbindgen_export3(_,d*1,1),o&&s.__wbindgen_export3(o,c*1,1),w}return s.adminclient_setEquivalent(this.__wbg_ptr,o,c,a,_,d)}setStatus(t,i,n){let a,o,c,_,d,p;try{a=y(t,s.__wbindgen_export,s.__wbindgen_export2),o=h,c=y(i,s.__wbindgen_export,s.__wbindgen_export2),_=h,d=v(n)?0:y(n,s.__wbindgen_export,s.__wbindgen_export2),p=h}catch(b){throw d&&s.__wbindgen_export3(d,p*1,1),c&&s.__wbindgen_export3(c,_*1,1),a&&s.__wbindgen_export3(a,o*1,1),b}return s.adminclient_setStatus(this.__wbg_ptr,a,o,c,_,d,p)}stats(){return s.adminclient_stats(this.__wbg_ptr)}}Symbol.dispose&&(H.prototype[Symbol.dispose]=H.prototype.free);function ut(){return{__proto__:null,"./geo_admin_bg.js":{__proto__:null,__wbg___wbindgen_is_function_741ff2bb612836f5:function(t){return typeof t=="function"},__wbg___wbindgen_is_null_c22311b1cc228e3a:function(t){return t===null},__wbg___wbindgen_is_object_8b968c3ab8e96595:function(t){const i=t;return typeof i=="object"&&i!==null},__wbg___wbindgen_is_string_fc456fee5d3317de:function(t){return typeof t=="string"},__wbg___wbindgen_is_undefined_be5b34249ff1fc15:function(t){return t===void 0},__wbg___wbindgen_number_get_934b640d0889af78:function(t,i){const n=i,a=typeof n=="number"?n:void 0;R().setFloat64((t>>>0)+8,v(a)?0:a,!0),R().setInt32((t>>>0)+0,!v(a),!0)},__wbg___wbindgen_string_get_7ce8eee7fd327545:function(t,i){const n=i,a=typeof n=="string"?n:void 0;var o=v(a)?0:y(a,s.__wbindgen_export,s.__wbindgen_export2),c=h;R().setInt32((t>>>0)+4,c,!0),R().setInt32((t>>>0)+0,o,!0)},__wbg___wbindgen_throw_4c88d8bf264fd984:function(t,i){throw new Error(E(t,i))},__wbg__wbg_cb_unref_09736879a3f67559:function(t){t._wbg_cb_unref()},__wbg_abort_6318b3b6a6cea89f:function(t){t.abort()},__wbg_call_40b008ba32f73991:function(){return x(function(t,i){return t.call(i)},arguments)},__wbg_call_a410eb4b59ed5965:function(){return x(function(t,i,n){return t.call(i,n)},arguments)},__wbg_clearTimeout_311a36965f7cb207:function(t){clearTimeout(t)},__wbg_crypto_23f565a907d30078:function(t){return t.crypto},__wbg_fetch_a3fffec815a91fd7:function(t,i,n){return fetch(E(t,i),n)},__wbg_getRandomValues_d2908e0b99612b91:function(){return x(function(t,i){t.getRandomValues(i)},arguments)},__wbg_get_2080c49015e35254:function(){return x(function(t,i){return Reflect.get(t,i)},arguments)},__wbg_instanceof_Promise_59148c6049d0e3a0:function(t){let i;try{i=t instanceof Promise}catch{i=!1}return i},__wbg_length_186163212ffe79c3:function(t){return t.length},__wbg_makeError_0b043b063cf87276:function(t,i,n,a,o,c,_,d){let p;return _!==0&&(p=E(_,d),s.__wbindgen_export3(_,d*1,1)),at(E(t,i),E(n,a),o!==0,c===16777215?void 0:c,p)},__wbg_msCrypto_d5f06fad6bf1409b:function(t){return t.msCrypto},__wbg_new_0f5cd2e5be627dfe:function(){return new AbortController},__wbg_new_ba40181b3f24ac80:function(t,i){try{var n={a:t,b:i},a=(c,_)=>{const d=n.a;n.a=0;try{return X(d,n.b,c,_)}finally{n.a=d}};return new Promise(a)}finally{n.a=0}},__wbg_new_cd4348290afae586:function(){return new Object},__wbg_new_typed_e09da9dae6ee5935:function(t,i){try{var n={a:t,b:i},a=(c,_)=>{const d=n.a;n.a=0;try{return X(d,n.b,c,_)}finally{n.a=d}};return new Promise(a)}finally{n.a=0}},__wbg_new_with_length_01b143a7e5dd5a3e:function(t){return new Uint8Array(t>>>0)},__wbg_node_86166ff8ce1f2002:function(t){return t.node},__wbg_parse_c3f72b5a24f83c01:function(){return x(function(t,i){return JSON.parse(E(t,i))},arguments)},__wbg_process_91f425a63f58e399:function(t){return t.process},__wbg_prototypesetcall_13162965d1fe7aa3:function(t,i,n){Uint8Array.prototype.set.call(Z(t,i),n)},__wbg_queueMicrotask_1e8503a8a690f0a3:function(t){return t.queueMicrotask},__wbg_queueMicrotask_4a1a4d8dd332373b:function(t){queueMicrotask(t)},__wbg_randomFillSync_34b023059e3363de:function(){return x(function(t,i){t.randomFillSync(i)},arguments)},__wbg_require_9a7d8cc2e1d275c0:function(){return x(function(){return module.require},arguments)},__wbg_resolve_dbf78ab4942478b0:function(t){return Promise.resolve(t)},__wbg_setTimeout_5fc522e365c06b33:function(t,i){return setTimeout(t,i)},__wbg_set_2793479888329cb6:function(){return x(function(t,i,n){return Reflect.set(t,i,n)},arguments)},__wbg_signal_33d7feb0f6d46e4a:function(t){return t.signal},__wbg_static_accessor_GLOBAL_THIS_003ee833af9699fc:function(){const t=typeof globalThis>"u"?void 0:globalThis;return v(t)?0:D(t)},__wbg_static_accessor_GLOBAL_e4293fb22cbe77da:function(){const t=typeof global>"u"?void 0:global;return v(t)?0:D(t)},__wbg_static_accessor_SELF_53bb20457401453d:function(){const t=typeof self>"u"?void 0:self;return v(t)?0:D(t)},__wbg_static_accessor_WINDOW_b5e0810bfecb7feb:function(){const t=typeof window>"u"?void 0:window;return v(t)?0:D(t)},__wbg_subarray_58f388a9247ac0bb:function(t,i,n){return t.subarray(i>>>0,n>>>0)},__wbg_then_656f253a5dd7d8ea:function(t,i,n){return t.then(i,n)},__wbg_then_e3f7f2d365708be8:function(t,i){return t.then(i)},__wbg_versions_6e128a981b0df859:function(t){return t.versions},__wbindgen_generic_0000000000000001:function(t,i){return tt(t,i,ft)},__wbindgen_generic_0000000000000002:function(t,i){return tt(t,i,lt)},__wbindgen_generic_0000000000000003:function(t,i){return Z(t,i)},__wbindgen_generic_0000000000000004:function(t,i){return E(t,i)},__wbindgen_init_externref_table:function(){const t=s.__wbindgen_externrefs;t.set(0,void 0),t.set(1024,void 0),t.set(1025,null),t.set(1026,!0),t.set(1027,!1)}}}}function lt(e,t){s.__wasm_bindgen_func_elem_200(e,t)}function X(e,t,i,n){s.__wasm_bindgen_func_elem_1258(e,t,i,n)}function ft(e,t,i){try{const o=s.__wbindgen_add_to_stack_pointer(-16)>>>0;s.__wasm_bindgen_func_elem_1252(o,e,t,i);var n=R().getInt32(o+0,!0),a=R().getInt32(o+4,!0);if(a)throw bt(n)}finally{s.__wbindgen_add_to_stack_pointer(16)}}const J=typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(e=>s.__wbg_adminclient_free(e,1));function D(e){const t=s.__wbindgen_export5();return s.__wbindgen_externrefs.set(t,e),t}const Q=typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(e=>s.__wbindgen_export6(e.a,e.b));function Z(e,t){return e=e>>>0,L().subarray(e/1,e/1+t)}let q=null;function R(){return(q===null||q.buffer.detached===!0||q.buffer.detached===void 0&&q.buffer!==s.memory.buffer)&&(q=new DataView(s.memory.buffer)),q}function E(e,t){return e=e>>>0,mt(L().subarray(e,e+t))}let M=null;function L(){return(M===null||M.byteLength===0)&&(M=new Uint8Array(s.memory.buffer)),M}function x(e,t){try{return e.apply(this,t)}catch(i){const n=D(i);s.__wbindgen_export4(n)}}function v(e){return e==null}function tt(e,t,i){const n={a:e,b:t,cnt:1},a=(...o)=>{n.cnt++;const c=n.a;n.a=0;try{return i(c,n.b,...o)}finally{n.a=c,a._wbg_cb_unref()}};return a._wbg_cb_unref=()=>{--n.cnt===0&&(s.__wbindgen_export6(n.a,n.b),n.a=0,Q.unregister(n))},Q.register(a,n,n),a}function y(e,t,i){if(i===void 0){const _=O.encode(e),d=t(_.length,1)>>>0;return L().subarray(d,d+_.length).set(_),h=_.length,d}let n=e.length,a=t(n,1)>>>0;const o=L();let c=0;for(;c<n;c++){const _=e.charCodeAt(c);if(_>127)break;o[a+c]=_}if(c!==n){c!==0&&(e=e.slice(c)),a=i(a,n,n=c+e.length*3,1)>>>0;const _=L().subarray(a+c,a+n),d=O.encodeInto(e,_);c+=d.written,a=i(a,n,c,1)>>>0}return h=c,a}function bt(e){const t=s.__wbindgen_externrefs.get(e);return s.__wbindgen_export7(e),t}let P=new TextDecoder("utf-8",{ignoreBOM:!0});P.decode();const pt=2146435072;let V=0;function mt(e){return V+=e.length,V>=pt&&(P=new TextDecoder("utf-8",{ignoreBOM:!0}),P.decode(),V=e.length),P.decode(e)}const O=new TextEncoder;"encodeInto"in O||(O.encodeInto=function(e,t){const i=O.encode(e);return t.set(i),{read:e.length,written:i.length}});let h=0,s;function gt(e,t){return s=e.exports,q=null,M=null,s.__wbindgen_start(),s}async function wt(e,t){if(typeof Response=="function"&&e instanceof Response){if(!e.ok)throw new Error(`failed to fetch Wasm: ${e.status} ${e.statusText} fetching '${e.url}'`);if(typeof WebAssembly.instantiateStreaming=="function")try{return await WebAssembly.instantiateStreaming(e,t)}catch(a){if(i(e.type)&&e.headers.get("Content-Type")!=="application/wasm")console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n",a);else throw a}const n=await e.arrayBuffer();return await WebAssembly.instantiate(n,t)}else{const n=await WebAssembly.instantiate(e,t);return n instanceof WebAssembly.Instance?{instance:n,module:e}:n}function i(n){switch(n){case"basic":case"cors":case"default":return!0}return!1}}let F;async function et(e){return s!==void 0?s:(F===void 0&&(F=$t(e),F.catch(()=>{F=void 0})),F)}async function $t(e){e!==void 0&&(Object.getPrototypeOf(e)===Object.prototype?{module_or_path:e}=e:console.warn("using deprecated parameters for the initialization function; pass a single object instead")),e===void 0&&(e=new URL("/assets/geo_admin_bg-CDmjrU8a.wasm",import.meta.url));const t=ut();(typeof e=="string"||typeof Request=="function"&&e instanceof Request||typeof URL=="function"&&e instanceof URL)&&(e=fetch(e));const{instance:i,module:n}=await wt(await e,t);return gt(i)}const z=new URL("/assets/geo_admin_bg-CDmjrU8a.wasm",import.meta.url);if(typeof process<"u"&&process.versions&&process.versions.node&&z.protocol==="file:"){const{readFile:e}=await st(async()=>{const{readFile:t}=await import("./shared-CKc3Kxxz.js").then(i=>i.b);return{readFile:t}},__vite__mapDeps([0,1]));await et({module_or_path:await e(z)})}else await et({module_or_path:z});const B="geo.admin.token",K=new EventTarget,A={client:null,path:location.pathname};function N(){K.dispatchEvent(new Event("change"))}function C(){const[,e]=m(0);return j(()=>{const t=()=>e(i=>i+1);return K.addEventListener("change",t),()=>K.removeEventListener("change",t)},[]),A}async function nt(e){const t=new H(location.origin,e);await t.integrity(),sessionStorage.setItem(B,e),A.client=t,N()}async function ht(){const e=sessionStorage.getItem(B);if(e)try{await nt(e)}catch{sessionStorage.removeItem(B)}}function yt(){sessionStorage.removeItem(B),A.client=null,N()}function vt(e){e!==A.path&&history.pushState(null,"",e),A.path=e,N()}addEventListener("popstate",()=>{A.path=location.pathname,N()});async function it(){const e=await fetch("/api/v1/equivalents");if(!e.ok)throw new Error(`HTTP ${e.status}`);return e.json()}function kt(){const[e,t]=m(""),[i,n]=m(""),[a,o]=m(!1);return f`<form class="card" onSubmit=${async _=>{if(_.preventDefault(),!e.trim())return n(r("admin.token_needed"));o(!0),n("");try{await nt(e.trim())}catch(d){n(k(d)),o(!1)}}} data-testid="sign-in">
    <h1>${r("admin.sign_in")}</h1>
    <p class="note">${r("admin.token_where")}</p>
    <${S} id="admin-token" label=${r("admin.token")}>
      <input id="admin-token" type="password" autocomplete="off" value=${e} onInput=${_=>t(_.currentTarget.value)} />
    <//>
    <${T} kind="error">${i}<//>
    <button type="submit" disabled=${a}>${a?r("working"):r("admin.enter")}</button>
  </form>`}const xt=5e3,rt=60;function Et(e){const t=[];for(let i=1;i<e.length;i++){const n=e[i].at-e[i-1].at,a=e[i].committed-e[i-1].committed;t.push(n>0?Math.round(a*6e4/n):0)}return t}function qt({values:e}){const n=Math.max(1,...e),a=e.map((o,c)=>`${c*300/Math.max(1,rt-2)},${80-o*80/n}`).join(" ");return f`<svg class="chart" viewBox=${"0 0 300 80"} role="img" aria-label=${r("admin.chart_label",{n:e[e.length-1]??0})}>
    <polyline points=${a} class="line" />
  </svg>`}function St(){const e=C(),[t,i]=m(null),[n,a]=m([]),[o,c]=m(""),_=typeof e.client.stats=="function";if(j(()=>{if(!_)return;let p=!0,w=[];const b=async()=>{try{const g=await e.client.stats();if(!p)return;w=[...w,{at:Date.now(),committed:g.payments_committed}].slice(-rt),i(g),a(w),c("")}catch(g){p&&c(k(g))}};b();const $=setInterval(b,xt);return()=>{p=!1,clearInterval($)}},[]),!_)return f`<section><h1>${r("admin.figures")}</h1><p class="card">${r("admin.stats_unsupported")}</p></section>`;const d=Et(n);return f`<section data-testid="figures">
    <h1>${r("admin.figures")}</h1>
    <${T} kind="error">${o}<//>
    ${t&&f`<div class="grid">
      <div class="card">
        <h2>${r("admin.payments_per_minute")}</h2>
        <p class="big" data-testid="per-minute">${d.length?d[d.length-1]:"…"}</p>
        <${qt} values=${d} />
        <dl>
          <dt>${r("admin.committed")}</dt><dd data-testid="committed">${t.payments_committed}</dd>
          <dt>${r("admin.aborted")}</dt><dd>${t.payments_aborted}</dd>
          <dt>${r("admin.open_holds")}</dt><dd>${t.open_holds}</dd>
          <dt>${r("admin.journal")}</dt><dd>${t.journal_length}</dd>
        </dl>
      </div>
      <div class="card">
        <h2>${r("admin.participants")}</h2>
        <dl>
          <dt>${r("admin.status_active")}</dt><dd data-testid="active">${t.participants.active}</dd>
          <dt>${r("admin.status_suspended")}</dt><dd data-testid="suspended">${t.participants.suspended}</dd>
          <dt>${r("admin.status_left")}</dt><dd>${t.participants.retired}</dd>
        </dl>
      </div>
      ${t.equivalents.map(p=>f`<div class="card" key=${p.equivalent} data-testid="equivalent-figures">
        <h2>${p.equivalent}</h2>
        <dl>
          <dt>${r("admin.debt_outstanding")}</dt><dd data-testid="debt-outstanding">${p.debt_outstanding}</dd>
          <dt>${r("admin.cleared_to_date")}</dt><dd data-testid="cleared-to-date">${p.cleared_to_date}</dd>
          <dt>${r("admin.committed")}</dt><dd>${p.payments_committed}</dd>
        </dl>
      </div>`)}
    </div>`}
  </section>`}const Tt=/^[A-Z0-9]{2,16}$/;function It(){const e=C(),[t,i]=m([]),[n,a]=m(""),[o,c]=m("2"),[_,d]=m(""),[p,w]=m({}),[b,$]=m(null),g=()=>it().then(i,l=>$({kind:"error",text:k(l)}));j(()=>{g()},[]);const I=async l=>{l.preventDefault();const U={};if(Tt.test(n)||(U.code=r("admin.code_rule")),/^[0-8]$/.test(o)||(U.precision=r("admin.precision_rule")),w(U),$(null),!Object.keys(U).length)try{const W=await e.client.setEquivalent(n,Number(o),_||void 0);$({kind:"ok",text:r("admin.equivalent_saved",{code:W.code,precision:W.precision})}),a(""),d(""),g()}catch(W){$({kind:"error",text:k(W)})}},u=l=>{a(l.code),c(String(l.precision)),d(l.description||"")};return f`<section data-testid="equivalents">
    <h1>${r("admin.equivalents")}</h1>
    <${T} kind=${b?.kind} testid="equivalent-message">${b?.text}<//>
    <form class="card" onSubmit=${I} novalidate>
      <h2>${r("admin.equivalent_form")}</h2>
      <${S} id="eq-code" label=${r("admin.code")} hint=${r("admin.code_rule")} error=${p.code}>
        <input id="eq-code" autocomplete="off" autocapitalize="characters" value=${n} onInput=${l=>a(l.currentTarget.value.trim().toUpperCase())} aria-describedby="eq-code-hint" />
      <//>
      <${S} id="eq-precision" label=${r("admin.precision")} hint=${r("admin.precision_rule")} error=${p.precision}>
        <input id="eq-precision" inputmode="numeric" value=${o} onInput=${l=>c(l.currentTarget.value.trim())} aria-describedby="eq-precision-hint" />
      <//>
      <${S} id="eq-desc" label=${r("admin.description")}>
        <input id="eq-desc" value=${_} onInput=${l=>d(l.currentTarget.value)} />
      <//>
      <button type="submit">${r("admin.save_activate")}</button>
    </form>
    <table class="card">
      <caption>${r("admin.equivalents")}</caption>
      <thead><tr><th scope="col">${r("admin.code")}</th><th scope="col">${r("admin.precision")}</th><th scope="col">${r("admin.state")}</th><th scope="col"><span class="sr-only">${r("admin.actions")}</span></th></tr></thead>
      <tbody>
        ${t.map(l=>f`<tr key=${l.code} data-testid="equivalent-row">
          <td>${l.code}${l.description?f` <small>${l.description}</small>`:""}</td>
          <td>${l.precision}</td>
          <td>${l.active?r("admin.active"):r("admin.inactive")}</td>
          <td><button class="secondary" onClick=${()=>u(l)}>${r("admin.edit")}</button></td>
        </tr>`)}
      </tbody>
    </table>
  </section>`}function Rt(){const e=C(),[t,i]=m(""),[n,a]=m(""),[o,c]=m(null),[_,d]=m(null),p=async b=>{b?.preventDefault(),d(null);try{c(await e.client.participants(t.trim(),50))}catch($){d({kind:"error",text:k($)})}},w=async(b,$)=>{d(null);try{const g=await e.client.setStatus(b.pid,$,n||void 0);c(o.map(I=>I.pid===g.pid?g:I)),d({kind:"ok",text:r("admin.status_set",{name:g.display_name,status:r("admin.status_"+g.status)})})}catch(g){d({kind:"error",text:k(g)})}};return f`<section data-testid="participants">
    <h1>${r("admin.participants")}</h1>
    <form class="card" onSubmit=${p}>
      <${S} id="member-q" label=${r("admin.find_member")} hint=${r("admin.find_hint")}>
        <input id="member-q" autocomplete="off" spellcheck=${!1} value=${t} onInput=${b=>i(b.currentTarget.value)} aria-describedby="member-q-hint" />
      <//>
      <button type="submit">${r("picker.search")}</button>
      <${S} id="member-reason" label=${r("admin.reason")}>
        <input id="member-reason" value=${n} onInput=${b=>a(b.currentTarget.value)} />
      <//>
    </form>
    <${T} kind=${_?.kind} testid="participant-message">${_?.text}<//>
    ${o&&o.length===0&&f`<p class="card">${r("admin.no_members")}</p>`}
    ${o&&o.length>0&&f`<table class="card">
      <caption>${r("admin.participants")}</caption>
      <thead><tr><th scope="col">${r("register.name")}</th><th scope="col">PID</th><th scope="col">${r("admin.state")}</th><th scope="col"><span class="sr-only">${r("admin.actions")}</span></th></tr></thead>
      <tbody>
        ${o.map(b=>f`<tr key=${b.pid} data-testid="member">
          <td>${b.display_name}</td>
          <td><code title=${b.pid}>${Y(b.pid)}</code></td>
          <td data-testid="member-status">${r("admin.status_"+b.status)}</td>
          <td>${b.status==="active"?f`<button class="danger" onClick=${()=>w(b,"suspended")}>${r("admin.suspend")}</button>`:b.status==="suspended"?f`<button onClick=${()=>w(b,"active")}>${r("admin.reactivate")}</button>`:""}</td>
        </tr>`)}
      </tbody>
    </table>`}
  </section>`}function At(){const e=C(),[t,i]=m([]),[n,a]=m(""),[o,c]=m([]),[_,d]=m(""),[p,w]=m(null),[b,$]=m("");j(()=>{it().then(u=>{i(u),u[0]&&a(u[0].code)})},[]);const g=async()=>{if(n){$("");try{w(await e.client.clearings(n))}catch(u){w(null),$(u&&u.code==="E_INVALID_SIGNATURE"?`${r("admin.receipt_refused")} (${u.message})`:k(u))}}};j(()=>{g()},[n]);const I=async u=>{u.preventDefault(),d("");try{const l=await e.client.runClearing(n);c([{...l,at:new Date().toLocaleTimeString()},...o]),await g()}catch(l){d(k(l))}};return f`<section data-testid="clearing-runs">
    <h1>${r("admin.clearing")}</h1>
    <form class="card" onSubmit=${I}>
      <${S} id="run-eq" label=${r("equivalent")}>
        <select id="run-eq" value=${n} onChange=${u=>a(u.currentTarget.value)}>
          ${t.map(u=>f`<option value=${u.code}>${u.code}</option>`)}
        </select>
      <//>
      <button type="submit" disabled=${!n}>${r("admin.run_now")}</button>
    </form>
    <${T} kind="error">${_}<//>
    <ul>
      ${o.map((u,l)=>f`<li class="card" key=${l} data-testid="run">
        <strong>${u.at} · ${u.equivalent}</strong>:
        ${u.cleared?r("admin.run_cleared",{total:u.total,n:u.debts_reduced}):u.proposal?r("admin.run_proposed",{id:u.proposal}):r("admin.run_nothing")}
        ${u.clearing_id&&f`<div><small class="mono">${u.clearing_id}</small></div>`}
      </li>`)}
    </ul>
    <h2>${r("admin.applied")}</h2>
    <button type="button" class="secondary" onClick=${g} disabled=${!n}>${r("admin.refresh")}</button>
    <${T} kind="error" testid="receipts-refused">${b}<//>
    ${p&&p.length===0&&f`<p>${r("admin.applied_none")}</p>`}
    <ul>
      ${(p||[]).map(u=>f`<li class="card" key=${u.clearing_id} data-testid="clearing">
        <strong>${new Date(u.at).toLocaleString()}</strong>:
        <span data-testid="cleared-total">${r("admin.cleared_total",{total:u.receipt.payload.total,equivalent:u.equivalent,n:u.edges.length})}</span>
        <p class="message ok" data-testid="receipt-verified">${r("admin.receipt_verified",{seq:u.journal_seq})}</p>
        <details>
          <summary>${r("admin.set_offs")}</summary>
          <ul class="edges">
            ${u.edges.map(l=>f`<li key=${l.debtor+l.creditor}>
              <code title=${l.debtor}>${Y(l.debtor)}</code> → <code title=${l.creditor}>${Y(l.creditor)}</code>: ${l.amount}
            </li>`)}
          </ul>
          <small class="mono">${u.clearing_id}</small>
        </details>
      </li>`)}
    </ul>
  </section>`}function Ct(){const e=C(),[t,i]=m(null),[n,a]=m(""),[o,c]=m(!1),_=async()=>{c(!0),a("");try{i(await e.client.integrity())}catch(d){a(k(d))}c(!1)};return f`<section data-testid="integrity">
    <h1>${r("admin.integrity")}</h1>
    <div class="card">
      <p class="note">${r("admin.integrity_explain")}</p>
      <button onClick=${_} disabled=${o}>${o?r("working"):r("admin.check")}</button>
    </div>
    <${T} kind="error">${n}<//>
    ${t&&f`<div class="card ${t.status==="ok"?"ok":"failed"}" data-testid="integrity-report">
      <p><strong>${t.status==="ok"?r("admin.integrity_ok"):r("admin.integrity_bad")}</strong></p>
      <p>${r("admin.journal_entries",{n:t.journal_entries})}</p>
      ${t.head_hash&&f`<p><small class="mono">${t.head_hash}</small></p>`}
      ${t.problems.length>0&&f`<ul>${t.problems.map(d=>f`<li>${d}</li>`)}</ul>`}
    </div>`}
  </section>`}const G=[["/admin","admin.figures",St],["/admin/equivalents","admin.equivalents",It],["/admin/participants","admin.participants",Rt],["/admin/clearing","admin.clearing",At],["/admin/integrity","admin.integrity",Ct]];function Ft(){ct();const e=C(),t=e.path.replace(/\/$/,"")||"/admin",i=G.find(([n])=>n===t)||G[0];return f`<div class="app admin ${e.client?"with-nav":""}">
    <a class="skip" href="#main">${r("skip")}</a>
    <header>
      <span class="brand" aria-hidden="true">GEO</span>
      <span class="title">${r("app.console")}</span>
      <${dt} />
      ${e.client&&f`<button class="link" onClick=${yt}>${r("admin.sign_out")}</button>`}
    </header>
    <${_t} />
    ${e.client&&f`<nav aria-label=${r("nav.label")}><ul>
      ${G.map(([n,a])=>f`<li key=${n}><a href=${n} aria-current=${n===i[0]?"page":void 0}
        onClick=${o=>{o.preventDefault(),vt(n)}}>${r(a)}</a></li>`)}
    </ul></nav>`}
    <main id="main" tabindex="-1">
      ${e.client?f`<${i[2]} key=${i[0]} />`:f`<${kt} />`}
    </main>
  </div>`}ot(f`<${Ft} />`,document.getElementById("app"));ht().finally(()=>Dt());function Dt(){performance.mark("interactive"),document.body.setAttribute("data-ready","1")}
